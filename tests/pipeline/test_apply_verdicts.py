"""The verdict step on its own: scores into check cells, restored cells, the ECF switch."""

import json

import nbformat
import numpy as np
import pytest
from traitlets.config import Config

from autograder.constants import MARK, RESTORED
from autograder.core.course import EX1_QUANTITIES, ITEMS
from autograder.pipeline.apply_verdicts import PLAN_KEY, ApplyVerdicts
from autograder.plan.execution import Execution
from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from tests.support import SOLUTIONS_DIR


@pytest.fixture(scope="module")
def plan(course_data):
    return build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=5, predictions=False)


def _entry(value):
    array = np.asarray(value, dtype=float)
    return {"kind": "array", "shape": list(array.shape), "data": array.ravel().tolist()}


def _payload_with_wrong_error(plan):
    """`error` three times too big, every later quantity correct *for that error*, on the
    article's network and on the others."""
    raw = {f"ex1.{name}": _entry(np.asarray(value) * 3)
           for name, value in zip(EX1_QUANTITIES, plan.ex1_article)}
    for index, (_, expected) in enumerate(plan.ex1_cases):
        raw.update({f"ex1_case{index}.{name}": _entry(np.asarray(value) * 3)
                    for name, value in zip(EX1_QUANTITIES, expected)})
    return Execution(payload=raw)


def _run(release_nb, plan, execution, carry_forward, restored=()):
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in restored:
            cell.metadata[MARK] = {RESTORED: True}
    config = Config()
    config.BackpropGrader.error_carried_forward = carry_forward
    resources = {PLAN_KEY: plan, "metadata": {}}
    execution.store(resources)
    nb, resources = ApplyVerdicts(config=config).preprocess(nb, resources)
    scores = {}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            last = cell.outputs[-1]
            assert last.output_type == "execute_result"
            scores[cell.metadata.nbgrader.grade_id] = float(last.data["text/plain"])
    return nb, scores


def test_error_carried_forward_is_on_by_default_and_can_be_switched_off(release_nb, plan):
    execution = _payload_with_wrong_error(plan)
    _, on = _run(release_nb, plan, execution, True)
    _, off = _run(release_nb, plan, execution, False)
    assert on["ex1_error"] == 0 and off["ex1_error"] == 0
    assert on["ex1_hidden_error_term"] == 2 and off["ex1_hidden_error_term"] == 0
    assert sum(on[f"ex1_{q}"] for q in EX1_QUANTITIES) == 9
    assert sum(off[f"ex1_{q}"] for q in EX1_QUANTITIES) == 0


def test_every_check_cell_gets_a_verdict_and_a_builtin_float(release_nb, plan):
    nb, scores = _run(release_nb, plan, Execution.not_run("was never run"), True)
    assert set(scores) == {item.grade_id for item in ITEMS}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            assert "np.float64" not in cell.outputs[-1].data["text/plain"]
            assert not any(o.get("name") == "stderr" for o in cell.outputs)


def test_restored_cells_score_zero_whatever_the_payload(release_nb, plan):
    raw = {f"ex1.{name}": _entry(value) for name, value in zip(EX1_QUANTITIES, plan.ex1_article)}
    nb, scores = _run(release_nb, plan, Execution(payload=raw), True, restored={"ex1_error"})
    assert scores["ex1_error"] == 0 and scores["ex1_output_error_term"] == 2
