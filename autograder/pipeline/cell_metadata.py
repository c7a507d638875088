"""A submission's nbgrader metadata, rebuilt from the gradebook.

A student can edit any cell's ``metadata.nbgrader``: copy a locked cell, invent
a grade id, change points or the schema version. Stock nbgrader then fails
the submission, or even the whole run. :func:`normalize_nbgrader_metadata`
gives every known cell the gradebook's own metadata and removes the rest.
Within a grading run, each notebook's cells are read from the gradebook once.
"""
from __future__ import annotations

import copy

import nbformat

from ..constants import MARK
from ..run_state import memo, remembering

NBGRADER_SCHEMA = 3
_FLAGS = ("grade", "solution", "locked", "task", "points", "schema_version")
#: The run's memo of gradebook cells (see :func:`remembering_cells`).
CELLS = "gradebook_cells"


def remembering_cells(run):
    """Within this block, the steps of ``run`` (an nbgrader application or any
    object at the top of their ``parent`` chain) read each notebook's cells once.

    Autograding never changes an assignment's source cells (only
    ``generate_assignment`` does), and every submission's two reads (sanitize,
    autograde) would otherwise query the same rows again."""
    return remembering(run, CELLS)


def gradebook_cells(db_url: str, notebook_id: str, assignment_id: str, *, within=None) -> dict:
    """``{grade_id: nbgrader metadata}`` of the notebook's cells in the gradebook;
    read once per run when ``within`` (a step of the run) is inside :func:`remembering_cells`."""
    cache = memo(within, CELLS, create=False) if within is not None else None

    def read():
        return _read_gradebook_cells(db_url, notebook_id, assignment_id)

    return cache.get((db_url, notebook_id, assignment_id), read) if cache else read()


def _read_gradebook_cells(db_url: str, notebook_id: str, assignment_id: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_notebook(notebook_id, assignment_id)
        grades = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        solutions = {cell.name for cell in notebook.solution_cells}
        tasks = {cell.name for cell in notebook.task_cells}
        known = {}
        for cell in notebook.source_cells:
            meta = {"grade": cell.name in grades, "solution": cell.name in solutions,
                    "locked": bool(cell.locked), "grade_id": cell.name,
                    "schema_version": NBGRADER_SCHEMA, "cell_type": cell.cell_type,
                    "checksum": cell.checksum}
            if cell.name in grades:
                meta["points"] = grades[cell.name]
            if cell.name in tasks:
                meta["task"] = True
            known[cell.name] = meta
        return known


def normalize_nbgrader_metadata(nb, known: dict) -> tuple[list, list]:
    """Rebuild every cell's nbgrader metadata from ``known``.

    The last cell naming a known id keeps it (as nbgrader's DeduplicateIds does);
    every other ``metadata.nbgrader`` is removed. Returns the ids whose metadata
    was removed and those whose flags or points had been changed.
    """
    dropped, changed, seen = [], [], set()
    for cell in reversed(nb.cells):
        metadata = cell.get("metadata")
        if not isinstance(metadata, dict) or "nbgrader" not in metadata:
            continue
        meta = metadata["nbgrader"]
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(grade_id, str) and grade_id in known and grade_id not in seen:
            seen.add(grade_id)
            want = known[grade_id]
            if any(meta.get(key) != want.get(key) for key in _FLAGS):
                changed.append(grade_id)
            metadata["nbgrader"] = nbformat.from_dict(copy.deepcopy(want))
        else:
            dropped.append(str(grade_id)[:64])
            del metadata["nbgrader"]
    return dropped, changed


_FLAGS = ("grade", "solution", "locked", "task", "points", "schema_version")


def strip_marks(nb) -> None:
    """Remove the grader's own ``metadata.backprop`` marks from a submission."""
    for holder in [nb] + list(nb.cells):
        metadata = holder.get("metadata")
        if isinstance(metadata, dict):
            metadata.pop(MARK, None)
