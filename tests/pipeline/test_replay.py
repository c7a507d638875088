"""The replay step installs a worker's execution, and refuses one that does not fit."""

import nbformat
import pytest

from autograder.pipeline.replay import REPLAY_KEY, ReplayExecution, ReplayMismatch
from autograder.plan.execution import Execution


def notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_the_executed_notebook_and_its_record_are_installed():
    executed = notebook("x = 1")
    executed.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    execution = Execution(payload={"done": {"kind": "none"}}, notebook=nbformat.writes(executed))
    resources = {REPLAY_KEY: execution, "nbgrader": {"student": "ann"}}
    nb, resources = ReplayExecution().preprocess(notebook("x = 1"), resources)
    assert nb.cells[0].outputs[0].text == "hi"
    assert Execution.stored(resources) is execution


def test_a_notebook_that_is_not_the_sanitized_one_is_refused():
    execution = Execution(notebook=nbformat.writes(notebook("x = 2")))
    with pytest.raises(ReplayMismatch, match="ann"):
        ReplayExecution().preprocess(notebook("x = 1"),
                                     {REPLAY_KEY: execution, "nbgrader": {"student": "ann"}})


def test_outside_backprop_grade_it_says_what_to_use():
    with pytest.raises(RuntimeError, match="GuardedExecute"):
        ReplayExecution().preprocess(notebook("x = 1"), {"nbgrader": {}})
