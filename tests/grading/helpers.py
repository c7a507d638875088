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


def gradebook_dump(db_url) -> dict:
    """Every row a grading run writes, keyed by names instead of random ids: the
    students, submissions (timestamp, extension), submitted notebooks (flag, late
    penalty), grades (every score column, manual grading flag) and comments, and
    the number of rows of each table (so that a duplicate shows)."""
    import sqlalchemy
    from nbgrader import api

    t = api.Base.metadata.tables
    engine = sqlalchemy.create_engine(db_url, future=True)
    dump = {}
    try:
        with engine.connect() as db:
            dump["counts"] = {name: db.execute(sqlalchemy.select(sqlalchemy.func.count())
                                               .select_from(table)).scalar()
                              for name, table in sorted(t.items())}
            dump["students"] = {row.id: (row.first_name, row.last_name, row.email,
                                         row.lms_user_id)
                                for row in db.execute(sqlalchemy.select(t["student"]))}
            sub, asg, snb, nb = (t["submitted_assignment"], t["assignment"],
                                 t["submitted_notebook"], t["notebook"])
            dump["submissions"] = {
                (row.name, row.student_id): (row.timestamp, row.extension)
                for row in db.execute(sqlalchemy.select(sub, asg.c.name)
                                      .join(asg, asg.c.id == sub.c.assignment_id))}
            keyed = (sqlalchemy.select(snb, asg.c.name.label("a"), sub.c.student_id.label("s"),
                                       nb.c.name.label("n"))
                     .join(sub, sub.c.id == snb.c.assignment_id)
                     .join(asg, asg.c.id == sub.c.assignment_id)
                     .join(nb, nb.c.id == snb.c.notebook_id))
            notebooks = {row.id: (row.a, row.s, row.n) for row in db.execute(keyed)}
            dump["notebooks"] = {notebooks[row.id]: (row.flagged, row.late_submission_penalty)
                                 for row in db.execute(keyed)}
            cell = t["base_cell"]
            for name, columns in (("grade", ("auto_score", "manual_score", "extra_credit",
                                             "needs_manual_grade")),
                                  ("comment", ("auto_comment", "manual_comment"))):
                rows = db.execute(sqlalchemy.select(t[name], cell.c.name.label("cell"),
                                                    cell.c.type.label("kind"))
                                  .join(cell, cell.c.id == t[name].c.cell_id))
                dump[name] = {notebooks[row.notebook_id] + (row.cell, row.kind):
                              tuple(getattr(row, c) for c in columns) for row in rows}
    finally:
        engine.dispose()
    return dump
