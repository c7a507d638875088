"""The harvest program: run on a namespace, it hands over exactly what the grader reads."""

import json

import numpy as np
import pytest

from autograder.constants import MAX_VALUE_SIZE, PAYLOAD_FILE
from autograder.core.values import Unavailable
from autograder.pipeline.guarded_execute import harvest_code
from autograder.plan import verdicts
from autograder.plan.payload import read_payload
from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from autograder.student import harvest
from tests.support import SOLUTIONS_DIR


def _namespace(plan, reference):
    space = {"backprop_step": reference.backprop_step, "train_nn": reference.train_nn}
    space.update(zip(["error", "output_error_term", "hidden_error", "hidden_error_term",
                      "delta_w_h_o", "delta_w_i_h"], plan.ex1_article))
    space.update(zip(["weights_input_hidden", "weights_hidden_output", "losses"], plan.ex2_final))
    return space


def test_the_spec_holds_inputs_only(course_data):
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=3)
    text = json.dumps(plan.harvest_spec())
    for expected in plan.ex1_article:  # no reference result appears in it
        assert repr(float(np.ravel(expected)[0])) not in text


def test_run_hands_over_values_the_grader_accepts(tmp_path, small_plan, reference):
    """The module itself, imported here and run on a namespace holding the reference."""
    plan = small_plan
    path = tmp_path / PAYLOAD_FILE
    harvest.run(_namespace(plan, reference), json.dumps(plan.harvest_spec()), str(path),
                MAX_VALUE_SIZE)
    payload = read_payload(path)
    assert payload.complete
    assert all(r.passed for r in verdicts.grade(payload, plan))


def test_the_kernel_cell_runs_the_module_source_and_leaves_no_name(tmp_path, small_plan,
                                                                   reference):
    """What the kernel receives: the module's source, run apart from the notebook's names."""
    plan = small_plan
    space = _namespace(plan, reference)
    before = set(space)
    path = tmp_path / PAYLOAD_FILE
    exec(harvest_code(plan.harvest_spec(), str(path)), space)
    assert set(space) - {"__builtins__"} == before
    assert read_payload(path).complete


def test_a_raising_function_keeps_what_it_computed(tmp_path, small_plan, reference):
    plan = small_plan
    space = _namespace(plan, reference)

    def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
        error = 0.25  # noqa: F841 - computed before the function raises
        raise ZeroDivisionError("on purpose")

    space["backprop_step"] = backprop_step
    for name in ("output_error_term", "hidden_error"):
        del space[name]
    path = tmp_path / PAYLOAD_FILE
    harvest.run(space, json.dumps(plan.harvest_spec()), str(path), MAX_VALUE_SIZE)
    payload = read_payload(path)
    assert "ZeroDivisionError: on purpose" in payload.value("ex1.output_error_term").reason
    other = payload.values("ex1_case0", ["error"])
    assert isinstance(other, Unavailable) and "ZeroDivisionError" in other.reason


def test_odd_exceptions_and_values_are_described_not_raised(tmp_path):
    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no")

    class Liar(tuple):
        def __len__(self):
            raise RuntimeError("len")

    def raises_unprintable(*args, **kwargs):
        raise Unprintable()

    def raises_huge(*args, **kwargs):
        raise ValueError(10 ** 5000)

    out = tmp_path / PAYLOAD_FILE
    h = harvest.Harvest(str(out), MAX_VALUE_SIZE)
    h.call("a", ["x"], raises_unprintable)
    h.call("b", ["x"], raises_huge)
    h.call("c", ["x", "y"], lambda: Liar((1, 2)))
    h.call("d", ["x"], lambda: ([10 ** 400],))
    h.save()
    payload = read_payload(out)
    assert payload.value("a").reason == "raised Unprintable (its message could not be shown)"
    assert payload.value("b").reason == "raised ValueError (its message could not be shown)"
    assert "could not be read (RuntimeError: len)" in payload.value("c").reason
    assert payload.value("d.x").reason == "holds a number too large for a float"


# -- Example 2's full training: the grader's call, made by the training cell, made once -------
def _counting(reference, calls):
    def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
        calls.append((features.shape, epochs, learnrate, n_hidden, seed))
        return reference.train_nn(features, targets, epochs, learnrate, n_hidden, seed)
    return train_nn


def test_the_training_cells_call_is_the_graders_full_training_made_once(tmp_path, small_plan,
                                                                        reference):
    plan, calls = small_plan, []
    space = _namespace(plan, reference)
    space["train_nn"] = student = _counting(reference, calls)
    spec, path = plan.harvest_spec(), str(tmp_path / PAYLOAD_FILE)
    recorder = harvest.install_full_run(space, json.dumps(spec["ex2"]), path, MAX_VALUE_SIZE)
    w1, w2, losses = space["train_nn"](None, None, 3, 99.0)  # whatever the cell passes
    assert calls == [((30, 6), 900, 0.005, 2, 21)] and len(losses) == 900
    harvest.restore_train_nn(space, recorder)
    assert space["train_nn"] is student
    harvest.run(space, json.dumps(spec), path, MAX_VALUE_SIZE)
    assert [call[1] for call in calls].count(900) == 1  # the harvest did not train again
    payload = read_payload(path)
    assert np.array_equal(payload.value("ex2_final.weights_input_hidden"), w1)
    assert all(r.passed for r in verdicts.grade(payload, plan))


def test_the_notebooks_globals_are_never_read_for_example_2(tmp_path, small_plan, reference):
    plan = small_plan
    space = _namespace(plan, reference)  # holds the expected final weights and losses
    del space["train_nn"]
    path = str(tmp_path / PAYLOAD_FILE)
    harvest.run(space, json.dumps(plan.harvest_spec()), path, MAX_VALUE_SIZE)
    final = read_payload(path).values("ex2_final", harvest.WEIGHTS)
    assert isinstance(final, Unavailable) and "not defined" in final.reason


def test_a_training_cell_that_raises_is_recorded_and_still_raises(tmp_path, small_plan):
    def train_nn(*args, **kwargs):
        raise ValueError("broken training")

    space = {"train_nn": train_nn}
    path = str(tmp_path / PAYLOAD_FILE)
    spec = small_plan.harvest_spec()
    harvest.install_full_run(space, json.dumps(spec["ex2"]), path, MAX_VALUE_SIZE)
    with pytest.raises(ValueError, match="broken training"):
        space["train_nn"](1, 2, 3, 4)
    assert read_payload(path).value("ex2_final").reason == "raised ValueError: broken training"


def test_a_skipped_training_cell_is_not_trained_again(tmp_path, small_plan, reference):
    calls = []
    space = _namespace(small_plan, reference)
    space["train_nn"] = _counting(reference, calls)
    spec = small_plan.harvest_spec()
    spec["ex2"]["full_run_skipped"] = "the cell that trains the network did not finish in time"
    path = str(tmp_path / PAYLOAD_FILE)
    harvest.run(space, json.dumps(spec), path, MAX_VALUE_SIZE)
    assert 900 not in [call[1] for call in calls]
    final = read_payload(path).values("ex2_final", harvest.WEIGHTS)
    assert final.reason == ("could not be computed: the cell that trains the network did not "
                            "finish in time")


def test_without_a_training_cell_the_harvest_makes_the_full_training_last(tmp_path, small_plan,
                                                                         reference):
    calls = []
    space = _namespace(small_plan, reference)
    space["train_nn"] = _counting(reference, calls)
    path = str(tmp_path / PAYLOAD_FILE)
    harvest.run(space, json.dumps(small_plan.harvest_spec()), path, MAX_VALUE_SIZE)
    assert [call[1] for call in calls][-1] == 900 and [c[1] for c in calls].count(900) == 1
    assert all(r.passed for r in verdicts.grade(read_payload(path), small_plan))
