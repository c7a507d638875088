"""``nbgrader export`` for a large class: nbgrader's CSV, from one query per assignment.

nbgrader's ``CsvExportPlugin`` asks the gradebook three questions per student
(the submission, its score, its late penalty), each a query of its own: for
10,000 students that is 30,000 queries. :class:`CsvExport` (installed as
``c.ExportApp.plugin_class`` by :mod:`.setup`) loads every submission of an
assignment at once with the same score and penalty expressions nbgrader uses
(its ORM's column properties), then writes the same file: the same columns,
rows in the same order (nbgrader's own assignment and student lists), the
same text for every value, the same ``--to``, ``--student`` and
``--assignment`` options. It first adds the gradebook's missing indexes
(:mod:`.gradebook_index`), without which each of those score expressions
reads the whole grade table.
"""

from nbgrader.api import SubmittedAssignment
from nbgrader.plugins import CsvExportPlugin

from .gradebook_index import ensure_indexes

KEYS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
        "email", "raw_score", "late_submission_penalty", "score", "max_score")


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def submissions_of(gradebook, assignment) -> dict:
    """``{student id: (timestamp, score, late penalty)}`` of one assignment."""
    rows = (gradebook.db.query(SubmittedAssignment.student_id, SubmittedAssignment.timestamp,
                               SubmittedAssignment.score,
                               SubmittedAssignment.late_submission_penalty)
            .filter(SubmittedAssignment.assignment_id == assignment.id))
    return {student: (timestamp, score, penalty) for student, timestamp, score, penalty in rows}


class CsvExport(CsvExportPlugin):
    """nbgrader's CSV export (see the module docstring), in a query per assignment."""

    def export(self, gradebook) -> None:
        made = ensure_indexes(gradebook.engine.url.render_as_string(hide_password=False))
        if made:
            self.log.info("Indexed the gradebook's foreign keys: %s", ", ".join(made))
        dest = self.to or "grades.csv"
        students = [str(item) for item in self.student]
        assignments = [str(item) for item in self.assignment]
        self.log.info("Exporting grades to %s", dest)
        if assignments:
            self.log.info("Exporting only assignments: %s", assignments)
        if students:
            self.log.info("Exporting only students: %s", students)
        with open(dest, "w") as handle:
            handle.write(",".join(KEYS) + "\n")
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                submitted = submissions_of(gradebook, assignment)
                max_score = assignment.max_score
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    found = submitted.get(student.id)
                    if found is None:
                        timestamp, raw, penalty, score = "", 0.0, 0.0, 0.0
                    else:
                        timestamp, raw, penalty = found
                        score = max(0.0, raw - penalty)
                    row = (assignment.name, assignment.duedate, timestamp, student.id,
                           student.last_name, student.first_name, student.email, raw,
                           penalty, score, max_score)
                    handle.write(",".join(_text(value) for value in row) + "\n")
