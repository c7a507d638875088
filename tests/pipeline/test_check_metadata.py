"""The course's CheckCellMetadata: nbgrader's checks and errors, the schema compiled once."""

import copy

import jsonschema
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError, ValidationError
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheckCellMetadata

from autograder.pipeline.check_metadata import CheckCellMetadata


def _notebook(**meta):
    cell = new_code_cell("x = 1")
    cell.metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "points": 2,
                              "grade_id": "check", "schema_version": 3, **meta}
    nb = new_notebook()
    nb.cells = [new_code_cell("y = 2"), cell]
    return nb


CASES = {
    "valid": {},
    "points not a number": {"points": "two"},
    "no grade id": {"grade_id": None},
    "grade flag not a bool": {"grade": "yes"},
    "old schema": {"schema_version": 1},
    "new schema": {"schema_version": 4},
    "solution and locked": {"solution": True, "locked": True, "grade": False},
}


def _outcome(step, nb):
    try:
        step.preprocess(copy.deepcopy(nb), {})
    except (ValidationError, SchemaTooOldError, SchemaTooNewError) as exc:
        return type(exc).__name__, str(exc)
    return None


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_outcome_as_nbgrader(case):
    nb = _notebook(**CASES[case])
    assert _outcome(CheckCellMetadata(), nb) == _outcome(NbgraderCheckCellMetadata(), nb)


def test_invalid_metadata_fails_like_nbgraders():
    assert _outcome(CheckCellMetadata(), _notebook(points="two"))[0] == "ValidationError"
    assert _outcome(CheckCellMetadata(), _notebook(schema_version=1))[0] == "SchemaTooOldError"
    assert _outcome(CheckCellMetadata(), _notebook()) is None


def test_the_schema_is_checked_once(monkeypatch):
    CheckCellMetadata().preprocess(_notebook(), {})  # compiled (at most) here
    checks = []
    for name in dir(jsonschema.validators):
        cls = getattr(jsonschema.validators, name)
        if name.startswith("Draft") and isinstance(cls, type):
            monkeypatch.setattr(cls, "check_schema",
                                classmethod(lambda c, *a, **k: checks.append(c)))
    for _ in range(3):
        CheckCellMetadata().preprocess(_notebook(), {})
    assert checks == []
    NbgraderCheckCellMetadata().preprocess(_notebook(), {})
    assert len(checks) == 1  # nbgrader checks it again for each cell with metadata
