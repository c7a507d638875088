"""Example 2's split, run from data_prep.py or read back from the plan cache."""

import shutil
import subprocess
import sys

import numpy as np

from autograder.plan.cache import PlanCache
from autograder.plan.course_data import load_course_data
from tests.support import RELEASE_DIR

FIELDS = ("features", "targets", "features_test", "targets_test")


def _same(a, b) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in FIELDS) \
        and a.columns == b.columns


def test_the_cached_split_is_the_computed_one(tmp_path):
    fresh = load_course_data(RELEASE_DIR)
    cache = PlanCache(tmp_path / "cache")
    first = load_course_data(RELEASE_DIR, cache)
    assert len(list((tmp_path / "cache").glob("data-*.npz"))) == 1
    again = load_course_data(RELEASE_DIR, cache)
    assert _same(fresh, first) and _same(fresh, again)
    assert again.features.dtype == np.float64 and again.columns[0] == "gre"


def test_a_cached_split_needs_no_pandas(tmp_path):
    load_course_data(RELEASE_DIR, PlanCache(tmp_path / "cache"))
    probe = ("import sys; from autograder.plan.cache import PlanCache; "
             "from autograder.plan.course_data import load_course_data; "
             f"load_course_data({str(RELEASE_DIR)!r}, PlanCache({str(tmp_path / 'cache')!r})); "
             "print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["False"], result.stderr


def test_a_changed_data_file_is_split_again(tmp_path):
    public = shutil.copytree(RELEASE_DIR, tmp_path / "public")
    cache = PlanCache(tmp_path / "cache")
    before = load_course_data(public, cache)
    csv = public / "binary.csv"
    lines = csv.read_text().splitlines()
    lines[1] = "1" + lines[1][1:] if lines[1][0] == "0" else "0" + lines[1][1:]
    csv.write_text("\n".join(lines) + "\n")
    after = load_course_data(public, cache)
    assert _same(after, load_course_data(public))
    assert len(list((tmp_path / "cache").glob("data-*.npz"))) == 2
    assert not _same(before, after)  # the flipped admission is in one of the splits
