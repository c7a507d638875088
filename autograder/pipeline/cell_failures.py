"""Cells that failed while the notebook ran, and what that means for the items below them.

A typo in ``backprop_step`` makes every Example 1 item fail in the same way;
listing the same ``NameError`` six times helps nobody. :func:`explain` finds
the first cell of an example that failed (it raised, timed out, crashed the
kernel or was skipped), reports it once, with the line of the student's cell
it failed at, in the first item that could not be judged because of it, and
tells every later such item of the same example which cell stopped it and
how, in a few words, pointing back to that first report. Such an item keeps a hint
only when the mistake finder named the slip that made the cell fail: any other
hint speaks of a value that was never computed.

Cells are named as a student sees them: by what a cell of the assignment does
("the cell that defines `backprop_step`"), or by its position counted from 1
and its first line for a cell the student added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.results import Status
from ..i18n import N_, _

#: What the assignment's cells do, by grade id.
CELL_NAMES = {
    "setup": N_("the first code cell (the imports)"),
    "ex1_setup": N_("the cell that sets up Example 1"),
    "ex1_backprop_step": N_("the cell that defines `backprop_step`"),
    "ex1_run": N_("the cell that calls `backprop_step`"),
    "ex2_data": N_("the cell that loads the data"),
    "ex2_hyperparameters": N_("the cell with the hyperparameters"),
    "ex2_train_nn": N_("the cell that defines `train_nn`"),
    "ex2_run": N_("the cell that calls `train_nn` (your training)"),
    "ex2_plot": N_("the cell that plots the loss"),
    "ex2_accuracy_print": N_("the cell that prints the accuracy"),
}

#: The first sentence of an item that depends on a failed cell, by how the cell failed.
ROOT = {
    "error": N_("Not run because {cell} failed with {error}."),
    "error_at": N_("Not run because {cell} failed with {error}, at line {line} of {where}."),
    "timeout": N_("Not run because {cell} did not finish in time and was skipped."),
    "timeout_after": N_("Not run because {cell} did not finish within {seconds} s and was "
                        "skipped."),
    "crash": N_("Not run because {cell} crashed the kernel and was skipped."),
    "exit": N_("Not run because {cell} shut the kernel down and was skipped."),
    "out_of_time": N_("Not run because your notebook used up its time before {cell}."),
    "out_of_time_after": N_("Not run because {cause}, and no time was left to run your "
                            "notebook again without it."),
}
#: Every later item of the same example that depends on it, by how the cell failed.
ABOVE = {
    "error": N_("Not run because {cell} failed with {ename} (see above)."),
    "timeout": N_("Not run because {cell} did not finish in time (see above)."),
    "crash": N_("Not run because {cell} crashed the kernel (see above)."),
    "exit": N_("Not run because {cell} shut the kernel down (see above)."),
    "out_of_time": N_("Not run because your notebook ran out of time before {cell} (see "
                      "above)."),
}

#: The error names GuardedExecute writes into a cell it stopped, and what they mean.
STOPPED = {"CellTimeoutError": "timeout", "KernelDied": "crash", "KernelExit": "exit",
           "CellSkipped": "out_of_time"}
_WHERE = re.compile(r"Cell In\[(\d+)\], line (\d+)")
#: The time limit in GuardedExecute's note of a cell that timed out, in English or Chinese
#: ("did not finish within 60 s", "在 60 秒内没有运行完").
_SECONDS = re.compile(r"within (\d+) s|(\d+) 秒内")
#: The temporary file name IPython gives a cell, in a SyntaxError: " (3185.py, line 12)".
_FILE = re.compile(r" \(\d+\.py, line \d+\)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class CellFailure:
    """One code cell that did not run to its end."""

    index: int
    kind: str          # a key of ROOT: error, timeout, crash, exit, out_of_time
    error: str = ""    # "NameError: name 'outptu' is not defined"
    line: int = 0      # the line of the student's cell it failed at, if known
    where: str = ""    # that cell, named for the student
    seconds: int = 0   # the time limit it ran into, if it timed out


def grade_id(cell) -> str:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta.get("grade_id", "") if isinstance(meta, dict) else ""


def group(grade: str) -> str:
    """The example a grade id belongs to ("ex1", "ex2"), or "" for the shared cells."""
    return grade.split("_", 1)[0] if grade.startswith(("ex1_", "ex2_")) else ""


def cell_group(nb, index: int) -> str:
    """The example of the cell at ``index``: its own, or that of the nearest cell of
    the assignment above it (a cell the student added belongs where it stands)."""
    for cell in reversed(nb.cells[:index + 1]):
        if grade_id(cell):
            return group(grade_id(cell))
    return ""


def cell_name(nb, index: int) -> str:
    """How a student recognises the cell at ``index``."""
    cell = nb.cells[index]
    name = CELL_NAMES.get(grade_id(cell))
    if name:
        return _(name)
    first = next((line.strip() for line in str(cell.get("source", "")).splitlines()
                  if line.strip()), "")
    if len(first) > 50:
        first = first[:47] + "..."
    if not first:
        return _("cell {n}").format(n=index + 1)
    return _("cell {n} (`{first}`)").format(n=index + 1, first=first.replace("`", "'"))


def _where(nb, traceback) -> tuple[int, str]:
    """The line and the cell of the innermost notebook frame of a traceback."""
    counts = {cell.get("execution_count"): index for index, cell in enumerate(nb.cells)
              if cell.get("cell_type") == "code" and cell.get("execution_count")}
    found = (0, "")
    for match in _WHERE.finditer(_ANSI.sub("", "\n".join(traceback or []))):
        index = counts.get(int(match.group(1)))
        if index is not None:
            found = (int(match.group(2)), cell_name(nb, index))
    return found


def find_failures(nb) -> list[CellFailure]:
    """Every code cell of the executed notebook ``nb`` that failed, in order."""
    failures = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code" or cell.get("metadata", {}).get(
                "nbgrader", {}).get("grade"):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            ename = str(output.get("ename", ""))
            if ename in STOPPED:
                seconds = _SECONDS.search(str(output.get("evalue", "")))
                failures.append(CellFailure(index, STOPPED[ename], seconds=int(
                    seconds.group(1) or seconds.group(2)) if seconds else 0))
            else:
                evalue = _FILE.sub("", str(output.get("evalue", ""))).strip()
                error = f"{ename}: {evalue}" if evalue else ename
                line, where = _where(nb, output.get("traceback"))
                failures.append(CellFailure(index, "error", error[:300], line, where))
            break
    return failures


def _cause(nb, failure: CellFailure) -> str:
    """What stopped a cell, as a clause: "the cell that ... did not finish within 60 s"."""
    cell = cell_name(nb, failure.index)
    if failure.kind == "timeout" and failure.seconds:
        return _(CAUSE["timeout_after"]).format(cell=cell, seconds=failure.seconds)
    return _(CAUSE[failure.kind]).format(cell=cell)


#: How a cell stopped the kernel, as the cause of a later lack of time.
CAUSE = {
    "timeout": N_("{cell} did not finish in time"),
    "timeout_after": N_("{cell} did not finish within {seconds} s"),
    "crash": N_("{cell} crashed the kernel"),
    "exit": N_("{cell} shut the kernel down"),
}


def _root_sentence(nb, failure: CellFailure, failures) -> str:
    cell = cell_name(nb, failure.index)
    if failure.kind == "out_of_time":
        stopped = next((f for f in failures if f.kind in CAUSE), None)
        if stopped is not None:
            return _(ROOT["out_of_time_after"]).format(cause=_cause(nb, stopped))
    if failure.kind == "error" and failure.line:
        return _(ROOT["error_at"]).format(cell=cell, error=failure.error, line=failure.line,
                                          where=failure.where)
    if failure.kind == "timeout" and failure.seconds:
        return _(ROOT["timeout_after"]).format(cell=cell, seconds=failure.seconds)
    return _(ROOT[failure.kind]).format(cell=cell, error=failure.error)


def above_sentence(nb, failure: CellFailure) -> str:
    """The short reminder, for a later item, of a failure reported above it."""
    ename = failure.error.split(":", 1)[0] or _("an error")
    return _(ABOVE[failure.kind]).format(cell=cell_name(nb, failure.index), ename=ename)


def explain(items, nb, failures=None) -> None:
    """Rewrite, in place, the message of every item that could not be judged because a
    cell above its check cell failed (see the module docstring)."""
    failures = find_failures(nb) if failures is None else failures
    if not failures:
        return
    checks = {grade_id(cell): index for index, cell in enumerate(nb.cells)}
    reported = set()
    for item in items:
        if item.status != Status.ERROR or item.grade_id not in checks:
            continue
        here, example = checks[item.grade_id], group(item.grade_id)
        root = next((f for f in failures if f.index < here
                     and cell_group(nb, f.index) in ("", example)), None)
        if root is None:
            continue
        if root.index in reported:
            item.message = above_sentence(nb, root)
        else:
            item.message = _root_sentence(nb, root, failures)
            reported.add(root.index)
        if not item.diagnosis:
            # the item's own hint speaks of a value its code never computed; only a named
            # slip (the finder's, which explains the failure) still applies
            item.hint = ""
