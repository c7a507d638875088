"""Golden results: every catalogued mistake is named, every equivalent form passes.

Each sample has exactly one mistake (or none, for the equivalent forms). It
runs in the real sandbox, and the whole result list, messages included, is
compared with ``golden/diagnoses.json``. After an intended change, rewrite the
file with ``BACKPROP_UPDATE_GOLDEN=1 pytest tests/grading/test_golden.py`` and review
the diff.
"""

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.core.course import ITEMS, TOTAL_POINTS
from autograder.core.diagnose import CATALOGUE
from autograder.demo import samples
from autograder.plan.course_data import load_course_data
from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from tests.support import GOLDEN_DIR, RELEASE_DIR, SOLUTIONS_DIR

pytestmark = pytest.mark.slow

GOLDEN = GOLDEN_DIR / "diagnoses.json"
SEED = 20261126
CASES = samples.MISTAKE_SAMPLES + samples.EQUIVALENT_SAMPLES


@pytest.fixture(scope="module")
def graded(release_nb, source_nb):
    from autograder.grading.check import grade_notebook

    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), load_course_data(RELEASE_DIR),
                      seed=SEED)

    def run(sample):
        notebook = samples.build(sample, release_nb, source_nb)
        graded, _ = grade_notebook(notebook, plan=plan, public_dir=RELEASE_DIR)
        return sample.name, [r.to_dict() for r in graded.items]

    with ThreadPoolExecutor(max_workers=2) as pool:
        table = dict(pool.map(run, CASES))
    if os.environ.get("BACKPROP_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return table


def test_results_match_the_golden_file(graded):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert set(golden) == set(graded)
    for name in golden:
        assert graded[name] == golden[name], name


def test_every_catalogued_mistake_has_a_sample_that_is_named():
    named = {s.name.split("_", 1)[1] for s in samples.MISTAKE_SAMPLES}
    assert set(CATALOGUE) <= named, set(CATALOGUE) - named
    assert len(CATALOGUE) >= 12


@pytest.mark.parametrize("sample", samples.MISTAKE_SAMPLES, ids=lambda s: s.name)
def test_each_mistake_is_diagnosed_and_loses_points(graded, sample):
    results = graded[sample.name]
    mistake = sample.name.split("_", 1)[1]
    assert sum(r["score"] for r in results) < TOTAL_POINTS
    assert mistake in {r["diagnosis"] for r in results}, results
    for r in results:
        if r["diagnosis"]:
            assert r["score"] < r["max_score"]
            assert r["hint"] == CATALOGUE[r["diagnosis"]].hint


@pytest.mark.parametrize("sample", samples.EQUIVALENT_SAMPLES, ids=lambda s: s.name)
def test_equivalent_forms_earn_full_marks_and_no_diagnosis(graded, sample):
    results = graded[sample.name]
    assert [r["score"] for r in results] == [float(i.points) for i in ITEMS]
    assert all(r["diagnosis"] == "" and r["status"] == "correct" for r in results)


def test_error_carried_forward_gives_method_marks(graded):
    """A wrong `error` costs its own point only; the later steps follow correctly from it."""
    results = {r["grade_id"]: r for r in graded["ex1_sign_error"]}
    assert results["ex1_error"]["score"] == 0
    assert results["ex1_error"]["diagnosis"] == "sign_error"
    for name in ("output_error_term", "hidden_error", "hidden_error_term", "delta_w_h_o",
                 "delta_w_i_h"):
        assert results[f"ex1_{name}"]["status"] == "carried forward"
        assert "error carried forward" in results[f"ex1_{name}"]["message"]
