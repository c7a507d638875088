"""``backprop check NOTEBOOK``: a student's full report, as the grader would give it.

The notebook is prepared as the grader prepares it (read without trusting
it, locked and check cells restored, deleted check cells put back at 0 points,
the course's own public files: :mod:`.release_cells`), runs in the same
guarded, sandboxed kernel, the same harvest hands its values out, and the same
checks judge them, with one difference: expected values come from the
article's known numbers and from centred finite differences
(:class:`~autograder.core.expectations.OracleExpectations`), so no reference
solution, gradebook or hidden case is needed. Other inputs are drawn afresh on
every run. A notebook that looks unsaved gets a note first (:mod:`.save_notes`).
"""

import json
import os
import sys
from pathlib import Path

from nbgrader.utils import is_grade
from traitlets.config import Config

from ..core.expectations import OracleExpectations
from ..core.results import GradedSubmission, Status
from ..pipeline.apply_verdicts import cell_result
from ..pipeline.cell_failures import explain
from ..pipeline.guarded_execute import GuardedExecute
from ..pipeline.notebook_reading import UnreadableNotebook, read_notebook
from ..plan import verdicts
from ..plan.course_data import load_course_data
from ..plan.execution import Execution
from ..plan.plan import Tolerances, build_plan
from . import release_cells
from .save_notes import save_notes

#: The largest notebook read, as the grader's default.
MAX_BYTES = 64 * 2**20


class CheckError(Exception):
    """The notebook cannot be checked (usage or file problem)."""


def time_limits(total: int) -> dict:
    """GuardedExecute's limits that keep a whole check within about ``total`` seconds.

    A quarter (at least 11 s) is kept for the grader's calls of the functions,
    2 s for starting kernels, and the rest runs the notebook; one cell gets at
    most half of that (and never more than the grader's 60 s), so that after a
    cell that hangs there is still time to run the notebook again without it.
    """
    calls = max(11, total // 4)
    run = max(1, total - calls - 2)
    return {"submission_timeout": run, "harvest_timeout": calls - 10,
            "timeout": max(1, min(60, run // 2))}


def grade_notebook(notebook, *, plan, public_dir, timeout=300,
                   carry_forward=True) -> tuple[GradedSubmission, Execution]:
    """Run ``notebook`` in the guarded sandbox and judge it against ``plan``."""
    config = Config()
    config.SandboxedKernelManager.public_dir = str(public_dir)
    executor = GuardedExecute(config=config, harvest_spec=plan.harvest_spec(),
                              **time_limits(timeout))
    resources = {"metadata": {"path": str(public_dir)}}
    executed, resources = executor.preprocess(notebook, resources)
    execution = Execution.stored(resources)
    graded = verdicts.judge(execution, plan, carry_forward=carry_forward)
    for result in graded.items:
        if result.status == Status.ERROR and execution.events:
            result.message += " (" + " ".join(execution.events) + ")"
    explain(graded.items, executed)
    return graded, execution


def check_notebook(path, *, timeout=300, seed=None) -> tuple[GradedSubmission, str]:
    """Prepare, run and judge the notebook at ``path`` as the grader would.

    Returns the graded items and, when the file could not be read at all,
    why (every item then scores 0, as in the grader)."""
    # absolute, but not resolved: a notebook that is a symbolic link is refused, as the
    # grader refuses it
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise CheckError(f"{path} is a folder, not a notebook: give the path of the .ipynb file")
    if not path.is_file():
        raise CheckError(f"no such notebook: {path}")
    public = release_cells.COPY_DIR
    plan = build_plan(OracleExpectations(), load_course_data(public), seed=seed,
                      tolerances=Tolerances.for_oracle())
    try:
        notebook = read_notebook(str(path), MAX_BYTES)
    except UnreadableNotebook as exc:
        reason = str(exc)
        cells = [c for c in release_cells.load().cells if c.cell_type == "code" and is_grade(c)]
        graded = GradedSubmission([cell_result(c, {}, reason) for c in cells], path.stem)
        return graded, reason
    notebook = release_cells.sanitize(notebook)
    graded, _ = grade_notebook(notebook, plan=plan, public_dir=public, timeout=timeout)
    results = {r.grade_id: r for r in graded.items}
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_grade(cell):
            result = cell_result(cell, results, None)
            results[result.grade_id] = result
    graded.items = [results[r.grade_id] for r in graded.items]
    graded.notebook = path.stem
    return graded, ""


def report(graded: GradedSubmission) -> str:
    """The check's text: one entry per item, then the total."""
    lines = [result.summary() for result in graded.items]
    passed = sum(r.passed for r in graded.items)
    lines.append("")
    lines.append("{passed} of {n} items pass; {score:g} of {total:g} points (checked against "
                 "the known numbers and finite differences).".format(
                     passed=passed, n=len(graded.items), score=graded.score,
                     total=graded.max_score))
    return "\n".join(lines)


def run_check(notebook, *, timeout=300, as_json=False) -> int:
    """``backprop check``: exit 0 when every item passes, 1 when one fails, 2 for a usage
    or file error (an unreadable notebook is one line on stderr, or, with ``--json``,
    every item at 0 with the reason, as the grader would score it)."""
    try:
        notes = save_notes(Path(notebook))
        graded, unreadable = check_notebook(notebook, timeout=timeout)
    except CheckError as exc:
        print(f"backprop check: {exc}", file=sys.stderr)
        return 2
    if unreadable:
        # one line: the grader would score every item 0 for the same reason (--json lists them)
        if as_json:
            print(json.dumps({**graded.to_json(), "notes": notes}, indent=1))
        print(f"backprop check: {notebook} could not be read: {unreadable}; the grader would "
              f"score all {len(graded.items)} items 0", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps({**graded.to_json(), "notes": notes}, indent=1))
    else:
        for note in notes:
            print(f"Note: {note}\n")
        print(report(graded))
    return 0 if graded.passed else 1
