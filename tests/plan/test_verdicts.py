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


def flipped_raw(plan, networks=None) -> dict:
    """Every quantity negated, as a flipped `error` makes them, on ``networks`` (the
    article's and the other networks' indices; default all of them)."""
    raw = correct_raw(plan)
    for name, value in zip(EX1_QUANTITIES, plan.ex1_article):
        raw[f"ex1.{name}"] = entry(-np.asarray(value))
    for index, (_, expected) in enumerate(plan.ex1_cases):
        if networks is None or index in networks:
            raw.update({f"ex1_case{index}.{n}": entry(-np.asarray(v))
                        for n, v in zip(EX1_QUANTITIES, expected)})
    return raw


def test_a_flipped_error_is_named_and_the_later_steps_carry_forward(plan):
    raw = flipped_raw(plan)
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert results["ex1_error"].score == 0
    assert results["ex1_error"].diagnosis == "ex1.error.sign"
    assert results["ex1_other_inputs"].diagnosis == "ex1.error.sign"   # the same name
    for name in EX1_QUANTITIES[1:]:
        assert results[f"ex1_{name}"].status == Status.CARRIED_FORWARD
    without = by_id(verdicts.grade(Payload(raw), plan, carry_forward=False))
    assert all(without[f"ex1_{name}"].score == 0 for name in EX1_QUANTITIES)


def test_method_marks_need_the_relation_on_another_network(plan):
    """The article's values alone, however consistent, earn no method marks."""
    raw = flipped_raw(plan)
    for index in range(len(plan.ex1_cases)):
        for key in [k for k in raw if k.startswith(f"ex1_case{index}.")]:
            del raw[key]
        raw[f"ex1_case{index}"] = {"kind": "error", "message": "KeyError: 'w'"}
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert all(results[f"ex1_{name}"].score == 0 for name in EX1_QUANTITIES)
    one_more = flipped_raw(plan)
    for index in (0, 2):
        for key in [k for k in one_more if k.startswith(f"ex1_case{index}.")]:
            del one_more[key]
        one_more[f"ex1_case{index}"] = {"kind": "error", "message": "KeyError: 'w'"}
    results = by_id(verdicts.grade(Payload(one_more), plan))
    assert results["ex1_hidden_error_term"].status == Status.CARRIED_FORWARD


def test_zeros_of_the_right_shapes_earn_nothing(plan):
    raw = {key: entry(np.zeros(value["shape"])) for key, value in correct_raw(plan).items()
           if key.startswith("ex1")}
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert sum(results[f"ex1_{name}"].score for name in EX1_QUANTITIES) == 0
    assert results["ex1_other_inputs"].score == 0


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


def slipped_raw(plan, key) -> dict:
    """The payload of a training whose slip is the family ``key``, on every run."""
    raw = correct_raw(plan)
    runs = [("ex2_first", plan.ex2_first_variants), ("ex2_final", plan.ex2_final_variants)]
    runs += [(f"ex2_case{i}", entry[3]) for i, entry in enumerate(plan.ex2_cases)]
    for prefix, predictions in runs:
        k = predictions.keys.index(key)
        raw.update({f"{prefix}.{n}": entry(v[k])
                    for n, v in zip(WEIGHTS, predictions.arrays()[:3])})
    return raw


def test_a_training_mistake_is_named_on_every_item_it_costs(plan):
    results = by_id(verdicts.grade(Payload(slipped_raw(plan, "ex2.updates.drop:eta")), plan))
    for grade_id in ("ex2_first_epoch", "ex2_final_weights", "ex2_loss", "ex2_other_data"):
        assert results[grade_id].diagnosis == "ex2.updates.drop:eta", grade_id
        assert "leaves out the learning rate" in results[grade_id].hint
    assert results["ex2_final_weights"].score == 0


def test_final_weights_that_fit_no_slip_leave_the_training_unnamed(plan):
    raw = slipped_raw(plan, "ex2.updates.drop:eta")
    final = [np.asarray(w) * 1.5 for w in plan.ex2_final[:2]]
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS[:2], final)})
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert not any(r.diagnosis for r in results.values())
    assert results["ex2_first_epoch"].hint.startswith("No common mistake gives this training")


def test_a_loop_slip_the_first_epoch_cannot_see_is_named_from_the_longer_runs(plan):
    results = by_id(verdicts.grade(Payload(slipped_raw(plan, "ex2.loop.accumulators_not_reset")),
                                   plan))
    assert results["ex2_first_epoch"].passed and not results["ex2_first_epoch"].diagnosis
    assert results["ex2_final_weights"].diagnosis == "ex2.loop.accumulators_not_reset"


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


def test_a_training_whose_epochs_change_each_step_is_told_to_look_at_epochs(plan):
    """A slip no catalogue entry names, which makes every step depend on the number of
    epochs (here each update divided by it too): the one-epoch run is right, the full
    run is not, and the two do not agree. The messages say so without claiming that the
    losses were made up, and the hint points at `epochs`; on other data, the hint does not
    say that the function is right on the course data."""
    train = ReferenceExpectations(SOLUTIONS_DIR).train
    data, epochs = plan.data, len(plan.ex2_final[2])
    slowed = train(data.features, data.targets, epochs, EX2_LEARNRATE / epochs, EX2_N_HIDDEN,
                   EX2_SEED)
    raw = correct_raw(plan)
    raw.update({f"ex2_final.{n}": entry(v) for n, v in zip(WEIGHTS, slowed)})
    for index, (_, expected, _, _) in enumerate(plan.ex2_cases):
        raw.update({f"ex2_case{index}.{n}": entry(np.asarray(v) * 1.1)
                    for n, v in zip(WEIGHTS, expected)})
    results = by_id(verdicts.grade(Payload(raw), plan))
    assert results["ex2_first_epoch"].passed and not results["ex2_final_weights"].passed
    loss, accuracy = results["ex2_loss"], results["ex2_accuracy"]
    assert loss.score == 0 and loss.message.startswith("The losses are not credited: the "
                                                       "first loss of the full training")
    assert "not the losses of the training" not in loss.message
    assert loss.hint == accuracy.hint and "`epochs`" in loss.hint
    assert accuracy.score == 0 and "not credited" in accuracy.message
    assert "((" not in accuracy.message and "nothing shows" not in accuracy.message
    other = results["ex2_other_data"]
    assert not other.passed and "right on the course data" not in other.hint


def test_a_loop_that_skips_the_first_epoch_is_wrong_not_untouched(plan):
    """`for e in range(1, epochs)`: asked for one epoch, train_nn returns the starting
    weights, while its full training moves them."""
    raw = correct_raw(plan)
    raw.update({f"ex2_first.{n}": entry(v) for n, v in zip(WEIGHTS[:2], plan.ex2_initial)})
    first = by_id(verdicts.grade(Payload(raw), plan))["ex2_first_epoch"]
    assert first.score == 0 and first.status == Status.INCORRECT, first
    assert "still the starting weights, although the full training moves them" in first.message


@pytest.mark.parametrize("key", ["ex2.loss.last_record_vs_all", "ex2.updates.swap:inv_n>inv_epochs"])
def test_an_honest_slip_that_breaks_a_relation_is_judged_as_a_training(plan, key):
    """A slip in the loss, or one that depends on the number of epochs, gives results that
    break a relation between the runs; one named slip reproducing every run shows that they
    are one training's, so the losses are judged as losses and keep the slip's name."""
    results = by_id(verdicts.grade(Payload(slipped_raw(plan, key)), plan))
    loss = results["ex2_loss"]
    assert "not the losses" not in loss.message and loss.diagnosis == key, loss
    assert "not credited" not in results["ex2_accuracy"].message
