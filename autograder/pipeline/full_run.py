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

import json

from ..constants import MAX_VALUE_SIZE
from ..core.course import EX2_RUN_CELL
from ..i18n import N_, _
from .harvest_cell import HARVEST_SOURCE

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


#: Why the harvest finds no full training, by how GuardedExecute stopped the training cell
#: (the error name it wrote into the cell): what the cell itself says, told of that cell.
SKIPPED = {
    "KernelDied": N_("the cell that trains the network crashed the kernel, so the grader ran "
                     "your notebook again without it"),
    "CellTimeoutError": N_("the cell that trains the network did not finish within {seconds} "
                           "s, so the grader ran your notebook again without it"),
    "KernelExit": N_("the cell that trains the network shut the kernel down, so the grader "
                     "ran your notebook again without it"),
    "OutputLost": N_("the cell that trains the network sent output that did not arrive in "
                     "full (too large, or never sent), so the grader ran your notebook again "
                     "without it"),
    "CellSkipped": N_("the cell that trains the network was not run: your notebook used up "
                      "the {seconds} s the grader allows for it"),
}


def harvest_spec(spec: dict, stopped: str | None, seconds=None) -> dict:
    """The harvest's spec, saying why the training cell did not run, if it did not
    (``stopped``: the error name ``GuardedExecute`` wrote into the skipped cell, a key of
    :data:`SKIPPED`; ``seconds``: the time limit it ran into), in the current language."""
    if not stopped:
        return spec
    why = _(SKIPPED.get(stopped, SKIPPED["KernelDied"])).format(seconds=seconds)
    return dict(spec, ex2=dict(spec["ex2"], full_run_skipped=why))
