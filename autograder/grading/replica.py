"""A gradebook that holds one assignment and nothing of any student.

A worker runs nbgrader's own per-student steps (the student and submission
rows, the sanitize pass that restores cells from the gradebook, the autograde
pass that saves grades) against a private SQLite copy of the assignment's
rows: the course, the assignment, its notebooks, their graded, solution and
task cells and their source cells. It holds no student, no submission and no
grade, and the source of a cell that nbgrader never writes back into a
submission (an unlocked solution cell) is left out, so the copy holds no
solution code. What the steps write into it is read back as a
:class:`~autograder.grading.records.GradedRecord`; the coordinator writes that
into the real gradebook.
"""

from __future__ import annotations

import os
import tempfile

import sqlalchemy
from sqlalchemy import select

from ..i18n import _

#: Put into a replica's rows of the submission before nbgrader's steps run, so
#: that the rows they write can be told from the rows they leave alone (a step
#: may well write the value a fresh row already holds, e.g. no score).
UNTOUCHED_SCORE = -1e300
UNTOUCHED_COMMENT = "\x00backprop: not written\x00"


def _tables():
    from nbgrader import api

    return api.Base.metadata.tables


def _copy_rows(source, target, table, where) -> list:
    rows = [dict(row._mapping) for row in source.execute(select(table).where(where))]
    if rows:
        target.execute(table.insert(), rows)
    return rows


def _blank_unused_sources(target, tables) -> None:
    """Source cells of unlocked cells that are neither graded nor tasks: nbgrader
    never copies their source into a submission, so the copy does without it."""
    base, source = tables["base_cell"], tables["source_cell"]
    kept = select(base.c.name).where(base.c.type.in_(("GradeCell", "TaskCell")),
                                     base.c.notebook_id == source.c.notebook_id)
    target.execute(source.update()
                   .where(source.c.locked.is_(False), source.c.name.not_in(kept))
                   .values(source=None))


def _scratch_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=OFF")
    cursor.close()


def build_replica(db_url: str, assignment: str, course_id: str, path: str) -> None:
    """Write the replica of ``assignment`` from the gradebook at ``db_url`` to ``path``."""
    from nbgrader import api

    tables = _tables()
    engine = sqlalchemy.create_engine(db_url, future=True)
    replica = sqlalchemy.create_engine(f"sqlite:///{path}", future=True)
    # A scratch file: no journal, no fsync (it is rebuilt if anything goes wrong).
    sqlalchemy.event.listen(replica, "connect", _scratch_pragmas)
    try:
        api.Base.metadata.create_all(bind=replica)
        with engine.connect() as source, replica.begin() as target:
            version = source.execute(sqlalchemy.text(
                "SELECT version_num FROM alembic_version")).scalar()
            target.execute(sqlalchemy.text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            target.execute(sqlalchemy.text("INSERT INTO alembic_version VALUES (:v)"),
                           {"v": version})
            found = _copy_rows(source, target, tables["assignment"],
                               tables["assignment"].c.name == assignment)
            if not found:
                raise LookupError(_("the gradebook has no assignment {assignment!r}").format(
                    assignment=assignment))
            courses = {course_id, found[0]["course_id"]}
            _copy_rows(source, target, tables["course"], tables["course"].c.id.in_(courses))
            notebooks = [row["id"] for row in _copy_rows(
                source, target, tables["notebook"],
                tables["notebook"].c.assignment_id == found[0]["id"])]
            cells = [row["id"] for row in _copy_rows(
                source, target, tables["base_cell"],
                tables["base_cell"].c.notebook_id.in_(notebooks))]
            for name in ("grade_cells", "solution_cells", "task_cells"):
                _copy_rows(source, target, tables[name], tables[name].c.id.in_(cells))
            _copy_rows(source, target, tables["source_cell"],
                       tables["source_cell"].c.notebook_id.in_(notebooks))
            _blank_unused_sources(target, tables)
    finally:
        engine.dispose()
        replica.dispose()


def replica_bytes(db_url: str, assignment: str, course_id: str) -> bytes:
    """:func:`build_replica`, as the bytes of the SQLite file."""
    folder = tempfile.mkdtemp(prefix="backprop-replica-")
    path = os.path.join(folder, "gradebook.db")
    try:
        build_replica(db_url, assignment, course_id, path)
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def _engine(path):
    engine = sqlalchemy.create_engine(f"sqlite:///{path}", future=True)
    sqlalchemy.event.listen(engine, "connect", _scratch_pragmas)
    return engine


def _submission_rows(tables, student):
    """(submitted notebook id, notebook name) of ``student``'s submission."""
    sub, snb, nb = (tables["submitted_assignment"], tables["submitted_notebook"],
                    tables["notebook"])
    return (select(snb.c.id, nb.c.name)
            .join(nb, nb.c.id == snb.c.notebook_id)
            .join(sub, sub.c.id == snb.c.assignment_id)
            .where(sub.c.student_id == student))


def _rewrite(path: str, student: str, changes) -> None:
    """Set, in ``student``'s rows of the replica at ``path``, each ``(table, column,
    which, value)`` of ``changes``: ``column`` to ``value`` where ``which(column)``
    holds (every row if ``which`` is None)."""
    tables = _tables()
    engine = _engine(path)
    try:
        with engine.begin() as db:
            ids = [row[0] for row in db.execute(_submission_rows(tables, student))]
            for name, column, which, value in changes:
                table = tables[name]
                owner = table.c.id if name == "submitted_notebook" else table.c.notebook_id
                where = [owner.in_(ids)] + ([which(table.c[column])] if which else [])
                db.execute(table.update().where(*where).values({column: value}))
    finally:
        engine.dispose()


def mark_untouched(path: str, student: str) -> None:
    """Fill the scores, comments and penalties of ``student``'s fresh rows in the
    replica at ``path`` with the markers above (scores nbgrader already set,
    as the zeros of a missing notebook, are kept)."""
    _rewrite(path, student, [
        ("grade", "auto_score", lambda column: column.is_(None), UNTOUCHED_SCORE),
        ("comment", "auto_comment", None, UNTOUCHED_COMMENT),
        ("submitted_notebook", "late_submission_penalty", None, UNTOUCHED_SCORE)])


def unmark_untouched(path: str, student: str) -> None:
    """Put back what fresh rows hold (no score, no comment, no penalty) where the
    markers of :func:`mark_untouched` are still in ``student``'s rows, once they
    have been read: the replica then reads as a first grading left it."""
    _rewrite(path, student, [
        ("grade", "auto_score", lambda column: column == UNTOUCHED_SCORE, None),
        ("comment", "auto_comment", lambda column: column == UNTOUCHED_COMMENT, None),
        ("submitted_notebook", "late_submission_penalty",
         lambda column: column == UNTOUCHED_SCORE, None)])


def written_rows(path: str, student: str) -> dict:
    """What nbgrader's steps wrote for ``student`` into the replica at ``path``:
    the fields of a :class:`~.records.GradedRecord` (rows, not files)."""
    from .records import NotebookRows

    tables = _tables()
    engine = _engine(path)
    try:
        with engine.connect() as db:
            student_row = db.execute(select(tables["student"].c.id).where(
                tables["student"].c.id == student)).first() is not None
            sub = tables["submitted_assignment"]
            found = db.execute(select(sub.c.timestamp).where(sub.c.student_id == student)).first()
            courses = sorted(db.execute(select(tables["course"].c.id)).scalars())
            notebooks = {}
            if found is not None:
                snb, cell = tables["submitted_notebook"], tables["base_cell"]
                names = {row[0]: row[1] for row in db.execute(_submission_rows(tables, student))}
                written = {row[0] for row in db.execute(select(snb.c.id).where(
                    snb.c.id.in_(names), snb.c.late_submission_penalty != UNTOUCHED_SCORE))}
                notebooks = {name: NotebookRows(penalty_written=nb_id in written)
                             for nb_id, name in names.items()}
                grade, comment = tables["grade"], tables["comment"]
                for table, add in ((grade, _add_grade), (comment, _add_comment)):
                    rows = db.execute(select(table, cell.c.name.label("cell_name"))
                                      .join(cell, cell.c.id == table.c.cell_id)
                                      .where(table.c.notebook_id.in_(names)))
                    for row in rows:
                        add(notebooks[names[row.notebook_id]], row)
    finally:
        engine.dispose()
    return {"courses": courses, "student_row": student_row, "submission_row": found is not None,
            "timestamp": found[0].isoformat() if found is not None and found[0] else None,
            "notebooks": notebooks}


def _add_grade(rows, row) -> None:
    if row.auto_score is None or row.auto_score != UNTOUCHED_SCORE:
        rows.grades[row.cell_name] = (row.auto_score, bool(row.needs_manual_grade))


def _add_comment(rows, row) -> None:
    if row.auto_comment != UNTOUCHED_COMMENT:
        rows.comments[row.cell_name] = row.auto_comment
