"""The grader's own full training of a submission, made where the notebook makes its own.

Example 2 is judged on what ``train_nn`` returns when the grader calls it on
the plan's inputs (the course data, 900 epochs, the pinned seed), never on
what the notebook left in its globals. The full training takes most of a
submission's run time, and the locked cell ``ex2_run`` already calls
``train_nn(features, targets, epochs, learnrate)`` once; calling it a second
time in the harvest would double that time. So :class:`GuardedExecute` runs
two hidden cells around that locked cell:

* before it, :func:`install_code` puts a stand-in for ``train_nn`` in the
  notebook (:class:`autograder.student.harvest.FullRun`): the locked cell's
  call becomes the grader's call, on the plan's inputs whatever the cell's
  arguments hold, recorded as ``ex2_final`` in the exchange's result file; the
  cell's own names get what it returned, and its printed progress stays;
* after it, :data:`RESTORE_CODE` puts the student's ``train_nn`` back.

Only the public inputs (the course data) reach the kernel this early; the
hidden cases come with the harvest, after the last student cell. When the
locked cell was skipped (it crashed or hung), :func:`harvest_spec` tells the
harvest so, and it records why instead of training again; when the cell never
called the stand-in (no ``train_nn`` yet, the cell deleted), the harvest makes
the full call itself, after its other calls.
"""

import inspect
import json

from ..constants import MAX_VALUE_SIZE
from ..core.course import EX2_RUN_CELL
from ..student import harvest

HARVEST_SOURCE = inspect.getsource(harvest)
#: The one name the hidden cells add to the notebook (removed by RESTORE_CODE).
NAME = "_backprop_full_run"


def training_cell(nb) -> int | None:
    """The index of the locked cell that trains the network (the last with its id)."""
    found = [index for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == EX2_RUN_CELL]
    return found[-1] if found else None


def install_code(spec: dict, out_path: str) -> str:
    """The hidden cell that installs the stand-in, with the public inputs only."""
    return (f"{NAME} = {{'__name__': 'backprop_harvest'}}\n"
            f"exec(compile({HARVEST_SOURCE!r}, 'backprop_harvest.py', 'exec'), {NAME})\n"
            f"{NAME}['recorder'] = {NAME}['install_full_run'](globals(), "
            f"{json.dumps(spec['ex2'])!r}, {out_path!r}, {MAX_VALUE_SIZE!r})\n")


RESTORE_CODE = (f"try:\n"
                f"    {NAME}['restore_train_nn'](globals(), {NAME}['recorder'])\n"
                f"finally:\n"
                f"    del {NAME}\n")


def harvest_spec(spec: dict, skipped_reason: str | None) -> dict:
    """The harvest's spec, saying why the training cell did not run, if it did not
    (``skipped_reason``: what the skipped cell itself says, see ``GuardedExecute``)."""
    if not skipped_reason:
        return spec
    reason = skipped_reason.rstrip(".")
    if reason.lower().startswith("this cell "):  # "This cell crashed the kernel, so ..."
        why = "the cell that trains the network " + reason[len("this cell "):]
    else:  # "Not run: your notebook used up ..."
        rest = reason[len("not run: "):] if reason.lower().startswith("not run: ") else reason
        why = "the cell that trains the network was not run: " + rest[:1].lower() + rest[1:]
    return dict(spec, ex2=dict(spec["ex2"], full_run_skipped=why))
