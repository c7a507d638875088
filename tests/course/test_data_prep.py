"""The data preparation: checksum, shapes, the article's exact split, no warnings."""

import hashlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.support import REPO, SOURCE_DIR

MD5 = "1acd26d260a6c8987d4230bcefaadf37"


def test_binary_csv_is_the_published_file():
    data = (SOURCE_DIR / "binary.csv").read_bytes()
    assert hashlib.md5(data).hexdigest() == MD5
    table = pd.read_csv(SOURCE_DIR / "binary.csv")
    assert table.shape == (400, 4)
    assert list(table.columns) == ["admit", "gre", "gpa", "rank"]
    assert table["admit"].mean() == pytest.approx(0.3150)
    assert table["rank"].mean() == pytest.approx(2.485)


def test_shapes_and_dtypes(course_data):
    assert course_data.features.shape == (360, 6)
    assert course_data.features_test.shape == (40, 6)
    assert course_data.targets.shape == (360,)
    assert course_data.targets_test.shape == (40,)
    assert course_data.columns == ["gre", "gpa", "rank_1", "rank_2", "rank_3", "rank_4"]
    assert course_data.features.dtype == np.float64


def test_split_is_the_articles_seed_21_draw():
    """Redo the article's steps independently: seed 21, choice of 360 of 400 labels."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dp", SOURCE_DIR / "data_prep.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    np.random.seed(21)
    sample = np.random.choice(np.arange(400), size=360, replace=False)
    assert list(module.features.index) == list(sample)
    assert sorted(module.features_test.index) == sorted(set(range(400)) - set(sample))
    # the test set has 14 admitted of 40, so admitting nobody scores 0.650
    assert module.targets_test.sum() == 14


def test_standardisation_uses_sample_std(course_data):
    raw = pd.read_csv(SOURCE_DIR / "binary.csv")
    gre = (raw["gre"] - raw["gre"].mean()) / raw["gre"].std(ddof=1)
    all_gre = np.concatenate([course_data.features[:, 0], course_data.features_test[:, 0]])
    assert np.allclose(np.sort(all_gre), np.sort(gre.to_numpy()), rtol=0, atol=1e-15)


def test_import_raises_no_warning_even_as_errors():
    code = ("import warnings; warnings.simplefilter('error'); import data_prep; "
            "print(data_prep.features.shape)")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=SOURCE_DIR,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(360, 6)"
    assert result.stderr == ""


def test_missing_data_file_gives_a_clear_error(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("dp2", SOURCE_DIR / "data_prep.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(FileNotFoundError, match="admissions data file is missing"):
        module.load_admissions(tmp_path / "nope.csv")
    assert (REPO / "release" / "backprop" / "binary.csv").read_bytes() == \
        (SOURCE_DIR / "binary.csv").read_bytes()
