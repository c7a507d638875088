"""The verdict step on synthetic payloads: no kernel, a small plan, every branch fast."""

import numpy as np
import pytest

from autograder.core.course import (
    EX1_QUANTITIES,
    EX2_LEARNRATE,
    EX2_N_HIDDEN,
    EX2_SEED,
    ITEMS,
)
from autograder.core.results import Status
from autograder.plan import verdicts
from autograder.plan.execution import Execution
from autograder.plan.payload import Payload
from autograder.plan.reference import ReferenceExpectations
from tests.support import SOLUTIONS_DIR

WEIGHTS = verdicts.WEIGHTS


@pytest.fixture(scope="module")
def plan(small_plan):
    return small_plan


def entry(value):
    array = np.asarray(value, dtype=float)
    return {"kind": "array", "shape": list(array.shape), "data": array.ravel().tolist()}


def correct_raw(plan) -> dict:
    raw = {f"ex1.{name}": entry(value) for name, value in zip(EX1_QUANTITIES, plan.ex1_article)}
    for index, (_, expected) in enumerate(plan.ex1_cases):
        raw.update({f"ex1_case{index}.{n}": entry(v) for n, v in zip(EX1_QUANTITIES, expected)})
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS, plan.ex2_final)})
    raw.update({f"ex2_first.{n}": entry(v) for n, v in zip(WEIGHTS, plan.ex2_first)})
    for index, (_, expected, _, _) in enumerate(plan.ex2_cases):
        raw.update({f"ex2_case{index}.{n}": entry(v) for n, v in zip(WEIGHTS, expected)})
    raw["done"] = {"kind": "none"}
    return raw


def by_id(results):
    return {result.grade_id: result for result in results}


def test_the_reference_values_earn_every_point_and_no_diagnosis(plan):
    results = verdicts.grade(Payload(correct_raw(plan)), plan)
    assert [r.grade_id for r in results] == [item.grade_id for item in ITEMS]
    assert all(r.passed and r.status == Status.CORRECT and not r.diagnosis for r in results)


def test_nothing_handed_over_scores_zero_and_says_why(plan):
    results = verdicts.grade(Payload(None, "could not be checked because it crashed"), plan)
    assert sum(r.score for r in results) == 0
    assert all("crashed" in r.message for r in results), [r.message for r in results]


def test_a_flipped_error_is_named_and_the_later_steps_carry_forward(plan):
    raw = correct_raw(plan)
    for name, value in zip(EX1_QUANTITIES, plan.ex1_article):
        raw[f"ex1.{name}"] = entry(-np.asarray(value))
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert results["ex1_error"].score == 0 and results["ex1_error"].diagnosis == "sign_error"
    for name in EX1_QUANTITIES[1:]:
        assert results[f"ex1_{name}"].status == Status.CARRIED_FORWARD
    without = by_id(verdicts.grade(Payload(raw), plan, carry_forward=False))
    assert all(without[f"ex1_{name}"].score == 0 for name in EX1_QUANTITIES)


def test_a_function_that_returns_the_wrong_count_fails_its_item_only(plan):
    raw = correct_raw(plan)
    for key in [k for k in raw if k.startswith("ex1_case0.")]:
        del raw[key]
    raw["ex1_case0"] = {"kind": "invalid", "message": "returned 5 values instead of 6 values"}
    results = by_id(verdicts.grade(Payload(raw), plan))
    other = results["ex1_other_inputs"]
    assert 0 < other.score < other.max_score and "returned 5 values" in other.message
    assert sum(r.score for r in results.values()) == sum(i.points for i in ITEMS) - 1


def test_weights_left_at_their_start_are_not_attempted(plan):
    raw = correct_raw(plan)
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS[:2], plan.ex2_initial)})
    raw["ex2_final.losses"] = entry(np.full(len(plan.ex2_final[2]), 0.25))
    results = by_id(verdicts.grade(Payload(raw), plan))
    for grade_id in ("ex2_final_weights", "ex2_loss", "ex2_accuracy"):
        assert results[grade_id].score == 0
        assert results[grade_id].status == Status.NOT_ATTEMPTED, results[grade_id]


def test_a_training_mistake_seen_on_the_first_epoch_explains_the_final_weights(plan):
    raw = correct_raw(plan)
    variant = plan.ex2_first_variants["no_learnrate"]
    raw.update({f"ex2_first.{n}": entry(v) for n, v in zip(WEIGHTS, variant)})
    final = [np.asarray(w) * 1.5 for w in plan.ex2_final[:2]]
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS[:2], final)})
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert results["ex2_first_epoch"].diagnosis == "no_learnrate"
    assert results["ex2_final_weights"].diagnosis == "no_learnrate"
    assert results["ex2_final_weights"].score == 0


def test_judge_keeps_the_runs_events_and_the_notebook(plan):
    execution = Execution(payload=correct_raw(plan), events=["Cell 3 timed out."])
    graded = verdicts.judge(execution, plan, notebook="backprop")
    assert graded.notebook == "backprop" and graded.events == ["Cell 3 timed out."]
    assert graded.passed and graded.score == graded.max_score == sum(i.points for i in ITEMS)


# -- the losses and the accuracy count only for one training's results ----------------------
def test_made_up_losses_score_nothing_and_correct_weights_keep_their_accuracy(plan):
    raw = correct_raw(plan)
    raw["ex2_final.losses"] = entry(np.linspace(0.3, 0.2, len(plan.ex2_final[2])))
    results = by_id(verdicts.grade(Payload(raw), plan))
    loss = results["ex2_loss"]
    assert loss.score == 0 and loss.status == Status.INCORRECT
    assert "not the losses of the training" in loss.message and "0.2," in loss.message
    assert results["ex2_final_weights"].passed and results["ex2_accuracy"].passed


def test_weights_from_elsewhere_earn_no_accuracy(plan):
    """Weights that reach the threshold but are not the training's (here: the
    expected weights, moved) with a curve that was made up to go with them."""
    raw = correct_raw(plan)
    moved = [np.asarray(w) * 1.01 for w in plan.ex2_final[:2]]
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS[:2], moved)})
    results = by_id(verdicts.grade(Payload(raw), plan))
    accuracy = results["ex2_accuracy"]
    assert accuracy.score == 0 and accuracy.status == Status.INCORRECT
    assert accuracy.message.startswith("Test accuracy") and "not credited" in accuracy.message
    assert results["ex2_loss"].score == 0


def test_a_consistent_wrong_training_keeps_its_loss_and_accuracy_points(plan):
    """An honest mistake (here a learning rate three times too large) gives losses
    that belong to its weights."""
    train = ReferenceExpectations(SOLUTIONS_DIR).train
    data = plan.data
    wrong_full = train(data.features, data.targets, len(plan.ex2_final[2]), EX2_LEARNRATE * 3,
                       EX2_N_HIDDEN, EX2_SEED)
    wrong_first = train(data.features, data.targets, 1, EX2_LEARNRATE * 3, EX2_N_HIDDEN,
                        EX2_SEED)
    raw = correct_raw(plan)
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS, wrong_full)})
    raw.update({f"ex2_first.{n}": entry(v) for n, v in zip(WEIGHTS, wrong_first)})
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert results["ex2_final_weights"].score == 0
    assert "not the losses" not in results["ex2_loss"].message
    assert "not credited" not in results["ex2_accuracy"].message
