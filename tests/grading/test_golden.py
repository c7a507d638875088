"""Golden results: every sample mistake is named, every equivalent form passes.

Each sample has exactly one slip (or none, for the equivalent forms): the
mistakes the course once listed by hand, slips nobody listed, and one value
that no single slip explains. It runs in the real sandbox, and the whole
result list, messages included, is compared with ``golden/diagnoses.json``.
After an intended change, rewrite the file with
``BACKPROP_UPDATE_GOLDEN=1 pytest tests/grading/test_golden.py`` and review the diff.
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
CASES = (samples.MISTAKE_SAMPLES + samples.MODEL_SAMPLES + samples.UNEXPLAINED_SAMPLES
         + samples.EQUIVALENT_SAMPLES)
#: The families each sample's slip must be named by, and nothing else.
EXPECTED = {
    "ex1_sign_error": {"ex1.error.sign"},
    "ex1_missing_learnrate": {"ex1.delta_w_h_o.drop:eta", "ex1.delta_w_i_h.drop:eta"},
    "ex1_no_output_derivative": {"ex1.output_error_term.drop:fp_ho"},
    "ex1_derivative_of_activation": {"ex1.output_error_term.swap:fp_ho>fp_yhat"},
    "ex1_hidden_error_from_error": {"ex1.hidden_error.swap:output_error_term>error"},
    "ex1_no_hidden_derivative": {"ex1.hidden_error_term.drop:fp_h"},
    "ex1_delta_uses_hidden_input": {"ex1.delta_w_h_o.swap:a>h"},
    "ex1_x_not_column": {"ex1.delta_w_i_h.no_column"},
    "ex1_transposed_delta": {"ex1.delta_w_i_h.transpose"},
    "ex2_no_learnrate": {"ex2.updates.drop:eta"},
    "ex2_no_averaging": {"ex2.updates.drop:inv_n"},
    "ex2_uphill_update": {"ex2.error.sign"},
    "ex2_update_every_record": {"ex2.loop.update_every_record"},
    "ex2_accumulators_not_reset": {"ex2.loop.accumulators_not_reset"},
    "ex2_no_hidden_derivative": {"ex2.hidden_error_term.drop:fp_h"},
    "ex2_no_output_derivative": {"ex2.output_error_term.drop:fp_ho"},
    "ex2_derivative_of_activation": {"ex2.output_error_term.swap:fp_ho>fp_yhat"},
    "ex1_learnrate_twice": {"ex1.delta_w_h_o.insert:eta"},
    "ex1_typed_learnrate": {"ex1.delta_w_i_h.swap:eta>const_eta"},
    "ex1_error_from_output_input": {"ex1.error.swap:residual>residual_ho"},
    "ex2_averaged_by_epochs": {"ex2.updates.swap:inv_n>inv_epochs"},
    "ex2_update_inside_loop": {"ex2.loop.update_inside_loop"},
    "ex2_loss_of_last_record": {"ex2.loss.last_record_vs_all"},
    "ex1_unexplained": set(),
}
NAMED = samples.MISTAKE_SAMPLES + samples.MODEL_SAMPLES


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


def test_every_sample_says_what_it_must_be_named():
    assert set(EXPECTED) == {s.name for s in NAMED + samples.UNEXPLAINED_SAMPLES}
    assert all(key in CATALOGUE for keys in EXPECTED.values() for key in keys)


@pytest.mark.parametrize("sample", NAMED, ids=lambda s: s.name)
def test_each_mistake_is_named_by_its_family_alone_and_loses_points(graded, sample):
    results = graded[sample.name]
    assert sum(r["score"] for r in results) < TOTAL_POINTS
    assert {r["diagnosis"] for r in results if r["diagnosis"]} == EXPECTED[sample.name], results
    for r in results:
        if r["diagnosis"]:
            assert r["score"] < r["max_score"]
            assert r["hint"] == CATALOGUE[r["diagnosis"]].hint


@pytest.mark.parametrize("sample", samples.UNEXPLAINED_SAMPLES, ids=lambda s: s.name)
def test_a_value_no_slip_explains_is_said_plainly_and_not_named(graded, sample):
    results = {r["grade_id"]: r for r in graded[sample.name]}
    assert not any(r["diagnosis"] for r in results.values())
    hint = results["ex1_hidden_error"]["hint"]
    assert "3.1 times the expected value. No common mistake gives this value." in hint
    assert "the hidden error of unit j is Wⱼ δᵒ" in hint


@pytest.mark.parametrize("sample", samples.EQUIVALENT_SAMPLES, ids=lambda s: s.name)
def test_equivalent_forms_earn_full_marks_and_no_diagnosis(graded, sample):
    results = graded[sample.name]
    assert [r["score"] for r in results] == [float(i.points) for i in ITEMS]
    assert all(r["diagnosis"] == "" and r["status"] == "correct" for r in results)


def test_error_carried_forward_gives_method_marks(graded):
    """A wrong `error` costs its own point only; the later steps follow correctly from it."""
    results = {r["grade_id"]: r for r in graded["ex1_sign_error"]}
    assert results["ex1_error"]["score"] == 0
    assert results["ex1_error"]["diagnosis"] == "ex1.error.sign"
    for name in ("output_error_term", "hidden_error", "hidden_error_term", "delta_w_h_o",
                 "delta_w_i_h"):
        assert results[f"ex1_{name}"]["status"] == "carried forward"
        assert "error carried forward" in results[f"ex1_{name}"]["message"]
