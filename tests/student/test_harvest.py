"""The harvest program: run on a namespace, it hands over exactly what the grader reads."""

import json

import numpy as np

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
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=3, predictions=False)
    text = json.dumps(plan.harvest_spec())
    for expected in plan.ex1_article:  # no reference result appears in it
        assert repr(float(np.ravel(expected)[0])) not in text


def test_run_hands_over_values_the_grader_accepts(tmp_path, course_data, reference):
    """The module itself, imported here and run on a namespace holding the reference."""
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=3, predictions=False)
    path = tmp_path / PAYLOAD_FILE
    harvest.run(_namespace(plan, reference), json.dumps(plan.harvest_spec()), str(path),
                MAX_VALUE_SIZE)
    payload = read_payload(path)
    assert payload.complete
    assert all(r.passed for r in verdicts.grade(payload, plan))


def test_the_kernel_cell_runs_the_module_source_and_leaves_no_name(tmp_path, course_data,
                                                                   reference):
    """What the kernel receives: the module's source, run apart from the notebook's names."""
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=3, predictions=False)
    space = _namespace(plan, reference)
    before = set(space)
    path = tmp_path / PAYLOAD_FILE
    exec(harvest_code(plan.harvest_spec(), str(path)), space)
    assert set(space) - {"__builtins__"} == before
    assert read_payload(path).complete


def test_a_raising_function_keeps_what_it_computed(tmp_path, course_data, reference):
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=3, predictions=False)
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
