"""The coordinator's gradebook writes: many submissions, one transaction.

``nbgrader autograde`` writes each student with a dozen short transactions
(a connection per step, a commit per cell). :class:`GradebookWriter` writes
what workers report (:class:`~.records.GradedRecord`) for a batch of students
in one transaction, on SQLite or PostgreSQL, with the same effect as nbgrader's
own steps:

* the student row, made if missing (``update_or_create_student``);
* the submission, made if missing with a notebook, a grade per graded or task
  cell and a comment per solution or task cell (``add_submission``), and its
  timestamp when the submission had one;
* every grade nbgrader's steps wrote: ``auto_score``, and ``needs_manual_grade``
  as ``SaveAutoGrades`` sets it from the real row's manual score (a notebook
  that was not submitted scores 0 with no manual grading, as nbgrader does);
* every comment they wrote (``auto_comment``);
* the late penalty of every notebook ``AssignLatePenalties`` saw, computed here
  with nbgrader's own code from the real submission (its extension, its manual
  scores), by the course's configured late-penalty step.

A batch that fails is rolled back whole, then its students are written one
transaction each, so one student's problem loses nobody else's grades and no
student is ever half written. Errors that stop ``nbgrader autograde`` (the
database is unreachable) stop the run; the next run completes it.
"""

from __future__ import annotations

import datetime
import logging

import sqlalchemy
from sqlalchemy import select

from ..i18n import _

log = logging.getLogger(__name__)


def _tables():
    from nbgrader import api

    return api.Base.metadata.tables


class GradebookWriter:
    """Writes batches of records for one assignment (see the module docstring)."""

    def __init__(self, db_url: str, assignment: str, *, late_step=None):
        from nbgrader.api import new_uuid

        self.new_id = new_uuid
        self.tables = t = _tables()
        connect_args = {"timeout": 60} if db_url.startswith("sqlite") else {}
        self.engine = sqlalchemy.create_engine(db_url, future=True, connect_args=connect_args)
        self.late_step = late_step
        with self.engine.connect() as db:
            found = db.execute(select(t["assignment"].c.id).where(
                t["assignment"].c.name == assignment)).first()
            if found is None:
                raise LookupError(_("the gradebook has no assignment {assignment!r}").format(
                    assignment=assignment))
            self.assignment_id = found[0]
            self.notebooks = dict(db.execute(select(t["notebook"].c.name, t["notebook"].c.id)
                                             .where(t["notebook"].c.assignment_id ==
                                                    self.assignment_id)).all())
            cells = t["base_cell"]
            self.cells = {}  # notebook id -> {type: [cell ids]}
            for cell_id, notebook_id, kind in db.execute(
                    select(cells.c.id, cells.c.notebook_id, cells.c.type)
                    .where(cells.c.notebook_id.in_(list(self.notebooks.values())))):
                self.cells.setdefault(notebook_id, {}).setdefault(kind, []).append(cell_id)

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------
    def write(self, records) -> dict:
        """Write ``records``; returns ``{student: error}`` of those that could not be.

        Raises ``sqlalchemy.exc.OperationalError`` when the gradebook fails."""
        records = list(records)
        if not records:
            return {}
        try:
            with self.engine.begin() as db:
                self._write(db, records)
            return {}
        except sqlalchemy.exc.OperationalError:
            raise
        except Exception as exc:  # noqa: BLE001 - find who, one at a time
            log.warning("A batch of %d gradebook writes failed (%s); writing them one by one",
                        len(records), exc)
        errors = {}
        for record in records:
            try:
                with self.engine.begin() as db:
                    self._write(db, [record])
            except sqlalchemy.exc.OperationalError:
                raise
            except Exception as exc:  # noqa: BLE001 - this student's write only
                errors[record.student] = exc
        return errors

    def _write(self, db, records) -> None:
        self._ensure_courses(db, {c for r in records for c in r.courses})
        records = [r for r in records if r.student_row]
        self._ensure_students(db, [r.student for r in records])
        subs = self._ensure_submissions(db, [r for r in records if r.submission_row])
        t = self.tables
        stamps = [{"sid": subs[r.student], "ts": datetime.datetime.fromisoformat(r.timestamp)}
                  for r in records if r.timestamp and r.student in subs]
        if stamps:
            sub = t["submitted_assignment"]
            db.execute(sub.update().where(sub.c.id == sqlalchemy.bindparam("sid"))
                       .values(timestamp=sqlalchemy.bindparam("ts")), stamps)
        graded = [r for r in records if r.student in subs and r.notebooks]
        if graded:
            self._write_grades(db, graded, subs)

    def _ensure_courses(self, db, courses) -> None:
        table = self.tables["course"]
        if courses:
            have = set(db.execute(select(table.c.id).where(table.c.id.in_(courses))).scalars())
            new = [{"id": c} for c in sorted(courses - have)]
            if new:
                db.execute(table.insert(), new)

    def _ensure_students(self, db, students) -> None:
        table = self.tables["student"]
        have = set(db.execute(select(table.c.id).where(table.c.id.in_(students))).scalars())
        new = [{"id": s} for s in dict.fromkeys(students) if s not in have]
        if new:
            db.execute(table.insert(), new)

    def _ensure_submissions(self, db, records) -> dict:
        """``{student: submission id}``, making the missing ones as ``add_submission`` does."""
        t = self.tables
        sub = t["submitted_assignment"]
        students = [r.student for r in records]
        found = dict(db.execute(select(sub.c.student_id, sub.c.id).where(
            sub.c.assignment_id == self.assignment_id, sub.c.student_id.in_(students))).all())
        rows = {"submitted_assignment": [], "submitted_notebook": [], "grade": [],
                "comment": []}
        for student in dict.fromkeys(students):
            if student in found:
                continue
            found[student] = sub_id = self.new_id()
            rows["submitted_assignment"].append({"id": sub_id, "assignment_id": self.assignment_id,
                                                 "student_id": student, "timestamp": None,
                                                 "extension": None})
            for notebook_id in self.notebooks.values():
                nb_id = self.new_id()
                rows["submitted_notebook"].append({"id": nb_id, "assignment_id": sub_id,
                                                   "notebook_id": notebook_id, "flagged": False,
                                                   "late_submission_penalty": None})
                kinds = self.cells.get(notebook_id, {})
                for cell_id in kinds.get("GradeCell", []) + kinds.get("TaskCell", []):
                    rows["grade"].append({"id": self.new_id(), "notebook_id": nb_id,
                                          "cell_id": cell_id, "auto_score": None,
                                          "manual_score": None, "extra_credit": None,
                                          "needs_manual_grade": True})
                for cell_id in kinds.get("SolutionCell", []) + kinds.get("TaskCell", []):
                    rows["comment"].append({"id": self.new_id(), "notebook_id": nb_id,
                                            "cell_id": cell_id, "auto_comment": None,
                                            "manual_comment": None})
        for name, values in rows.items():
            if values:
                db.execute(t[name].insert(), values)
        return found

    def _submitted_rows(self, db, table, sub_ids):
        """``{(submission id, notebook name, cell name): (row id, row)}`` of ``table``."""
        t = self.tables
        snb, cell = t["submitted_notebook"], t["base_cell"]
        names = {v: k for k, v in self.notebooks.items()}
        query = (select(table, snb.c.assignment_id.label("sub_id"),
                        snb.c.notebook_id.label("nb_id"), cell.c.name.label("cell_name"))
                 .join(snb, snb.c.id == table.c.notebook_id)
                 .join(cell, cell.c.id == table.c.cell_id)
                 .where(snb.c.assignment_id.in_(sub_ids)))
        return {(row.sub_id, names.get(row.nb_id), row.cell_name): row
                for row in db.execute(query)}

    def _write_grades(self, db, records, subs) -> None:
        t = self.tables
        sub_ids = [subs[r.student] for r in records]
        grades = self._submitted_rows(db, t["grade"], sub_ids)
        comments = self._submitted_rows(db, t["comment"], sub_ids)
        grade_values, comment_values, penalties = [], [], []
        for record in records:
            sid = subs[record.student]
            for nb_name, rows in record.notebooks.items():
                missing = nb_name in record.missing
                for cell_name, (score, manual_in_replica) in rows.grades.items():
                    row = grades[(sid, nb_name, cell_name)]
                    needs = manual_in_replica or (row.manual_score is not None and not missing)
                    grade_values.append({"gid": row.id, "auto": score, "needs": needs})
                for cell_name, text in rows.comments.items():
                    comment_values.append({"cid": comments[(sid, nb_name, cell_name)].id,
                                           "text": text})
                if rows.penalty_written:
                    penalties.append((record.student, sid, nb_name))
        bind = sqlalchemy.bindparam
        if grade_values:
            grade = t["grade"]
            db.execute(grade.update().where(grade.c.id == bind("gid"))
                       .values(auto_score=bind("auto"), needs_manual_grade=bind("needs")),
                       grade_values)
        if comment_values:
            comment = t["comment"]
            db.execute(comment.update().where(comment.c.id == bind("cid"))
                       .values(auto_comment=bind("text")), comment_values)
        if penalties:
            self._write_penalties(db, penalties)

    def _write_penalties(self, db, penalties) -> None:
        """``AssignLatePenalties`` on the real rows: nbgrader's own objects and step."""
        from nbgrader.api import Notebook, SubmittedAssignment, SubmittedNotebook
        from sqlalchemy.orm import Session

        with Session(bind=db, autoflush=True) as session:
            for student, sub_id, nb_name in penalties:
                submission = session.get(SubmittedAssignment, sub_id)
                notebook = (session.query(SubmittedNotebook)
                            .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
                            .filter(SubmittedNotebook.assignment_id == sub_id,
                                    Notebook.name == nb_name).one())
                notebook.late_submission_penalty = None
                late = submission.total_seconds_late
                if late > 0 and self.late_step is not None:
                    step = self.late_step
                    step.init_plugin()
                    penalty = step.plugin_inst.late_submission_penalty(
                        student, notebook.score, late)
                    if penalty is not None:
                        notebook.late_submission_penalty = step._check_late_penalty(
                            notebook, penalty)
            session.flush()
