"""``backprop check NOTEBOOK``: a student's full report, as the grader would give it.

The notebook is prepared as the grader prepares it (read without trusting
it, locked and check cells restored, deleted check cells put back at 0 points,
the course's own public files: :mod:`.release_cells`), runs in the same
guarded, sandboxed kernel, the same harvest hands its values out, and the same
checks judge them, with one difference: expected values come from the
article's known numbers and from centred finite differences
(:class:`~autograder.core.expectations.OracleExpectations`), so no reference
solution, gradebook or hidden case is needed. Other inputs are drawn afresh on
every run; the seed-free part of the plan (the oracle's full training and the
mistake finder's simulations on the course data) is kept in the user's cache
folder (:func:`~autograder.plan.cache.user_cache_dir`), so only the first check
computes it. A notebook that looks unsaved gets a note first (:mod:`.save_notes`).

The check speaks the notebook's language: ``metadata.backprop.lang`` of the
notebook checked (``zh_CN`` in the Chinese edition ``backprop_zh``; English
when it has none or an unknown one; the command's language when the file is no
notebook), unless ``--lang`` says otherwise (:func:`notebook_language`,
:func:`run_check`).
"""

import json
import os
import sys
from pathlib import Path

from nbgrader.utils import is_grade
from traitlets.config import Config

from .. import i18n
from ..core.expectations import OracleExpectations
from ..core.results import GradedSubmission, Status
from ..i18n import _
from ..pipeline.apply_verdicts import cell_result
from ..pipeline.cell_failures import explain
from ..pipeline.guarded_execute import GuardedExecute
from ..pipeline.notebook_reading import UnreadableNotebook, read_notebook
from ..plan import verdicts
from ..plan.cache import PlanCache, user_cache_dir
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
            result.message = _("{message} ({events})").format(
                message=result.message, events=" ".join(execution.events))
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
        raise CheckError(_("{path} is a folder, not a notebook: give the path of the .ipynb "
                           "file").format(path=path))
    if not path.is_file():
        raise CheckError(_("no such notebook: {path}").format(path=path))
    public = release_cells.COPY_DIR
    folder = user_cache_dir()
    cache = PlanCache(folder) if folder else None
    plan = build_plan(OracleExpectations(), load_course_data(public, cache), seed=seed,
                      tolerances=Tolerances.for_oracle(), cache=cache)
    try:
        notebook = read_notebook(str(path), MAX_BYTES)
    except UnreadableNotebook as exc:
        reason = str(exc)
        cells = [c for c in release_cells.load().cells if c.cell_type == "code" and is_grade(c)]
        graded = GradedSubmission([cell_result(c, {}, reason) for c in cells], path.stem)
        return graded, reason
    notebook = release_cells.sanitize(notebook)
    graded, _execution = grade_notebook(notebook, plan=plan, public_dir=public, timeout=timeout)
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
    lines.append(_("{passed} of {n} items pass; {score:g} of {total:g} points (checked "
                   "against the known numbers and finite differences).").format(
                     passed=passed, n=len(graded.items), score=graded.score,
                     total=graded.max_score))
    return "\n".join(lines)


def notebook_language(path) -> str | None:
    """The language of the notebook at ``path``: its ``metadata.backprop.lang``
    (``zh_CN`` in the Chinese edition); English when it has none, names a language the
    course is not written in, or holds something else than a name there. ``None`` when
    there is no notebook to ask (no file, or one that is not a notebook)."""
    try:
        notebook = read_notebook(os.path.abspath(path), MAX_BYTES)
    except Exception:  # noqa: BLE001 - whatever the file is, the check says why
        return None
    try:
        lang = notebook.metadata["backprop"]["lang"]
    except Exception:  # noqa: BLE001 - no such entry, or metadata of another shape
        return i18n.DEFAULT
    return i18n.normalize(lang) if isinstance(lang, str) else i18n.DEFAULT


def run_check(notebook, *, timeout=300, as_json=False, lang=None) -> int:
    """``backprop check``: exit 0 when every item passes, 1 when one fails, 2 for a usage
    or file error (an unreadable notebook is one line on stderr, or, with ``--json``,
    every item at 0 with the reason, as the grader would score it).

    Everything it prints is in ``lang`` (``--lang``), by default the notebook's own
    language (:func:`notebook_language`); for a file that is no notebook, the
    command's (:func:`autograder.i18n.current`)."""
    language = i18n.normalize(lang) if lang else notebook_language(notebook) or i18n.current()
    with i18n.language(language):
        return _run_check(notebook, timeout=timeout, as_json=as_json)


def _run_check(notebook, *, timeout, as_json) -> int:
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
        print("backprop check: " + _("{notebook} could not be read: {reason}; the grader "
                                     "would score all {n} items 0").format(
                  notebook=notebook, reason=unreadable, n=len(graded.items)), file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps({**graded.to_json(), "notes": notes}, indent=1))
    else:
        for note in notes:
            print(_("Note: {note}").format(note=note) + "\n")
        print(report(graded))
    return 0 if graded.passed else 1
