"""Helpers shared by the grading tests: run the CLI, read a gradebook, compare outputs."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.core.course import ASSIGNMENT, NOTEBOOK
from autograder.demo import samples
from autograder.workspace.folder import tool_env

BY_NAME = {sample.name: sample for sample in samples.SAMPLES + samples.EXTRA_SAMPLES}


def run_backprop(args, *, course=None, env=None, timeout=600):
    """``backprop ARGS`` as a subprocess; returns the CompletedProcess."""
    command = [sys.executable, "-m", "autograder.cli", *map(str, args)]
    if course is not None:
        command += ["--course", str(course)]
    return subprocess.run(command, env=tool_env(env), text=True, capture_output=True,
                          timeout=timeout)


def gradebook_table(course, db_url=None) -> dict:
    """``{student: {grade_id: (auto_score, max_score, needs_manual_grade)}}``."""
    from nbgrader.api import Gradebook

    from autograder.workspace.folder import db_url as course_db_url

    table = {}
    with Gradebook(db_url or course_db_url(course)) as gradebook:
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            row = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    row[grade.name] = (grade.auto_score, grade.max_score,
                                       grade.needs_manual_grade)
            table[submission.student_id] = row
    return table


def _coalesced(outputs) -> list:
    """Outputs with consecutive stream chunks of one stream joined: how a
    kernel's prints are cut into messages depends on timing, not on grading."""
    joined = []
    for output in map(dict, outputs):
        last = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last["name"] == output["name"]):
            last["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def graded_outputs(course, student) -> dict:
    """Every code cell's outputs in the autograded notebook, by grade id or index
    (grade cells exactly as written, other cells with their streams joined)."""
    path = Path(course) / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(str(path), 4)
    cells = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cells[grade_id] = [dict(output) for output in cell.outputs]
            else:
                cells[grade_id or index] = _coalesced(cell.outputs)
    return cells


def grade_ids(course) -> list:
    nb = nbformat.read(str(Path(course) / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"), 4)
    return [cell.metadata.nbgrader["grade_id"] for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade")]


def clone(template, dest) -> Path:
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns(".backprop"))
    return Path(dest)
