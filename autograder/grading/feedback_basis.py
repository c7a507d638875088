"""What a feedback page reads from the gradebook: one student's grades, as data.

``nbgrader generate_feedback`` writes a page from the autograded notebook and
what its ``GetGrades`` step reads from the gradebook: each graded or task
cell's score and maximum, each solution or task cell's comment, and each
notebook's late penalty (its score is the sum of its grades). A worker writes
the page from the grades in its replica; the page is also what
``generate_feedback`` would write from the real gradebook exactly when the two
bases are equal. They differ when the real gradebook holds what no worker
sees: a manual grade or comment, extra credit, an extension that changes the
late penalty.

:func:`read_bases` reads the bases of many students at once, with nbgrader's
own definitions of a score and a comment, on any of nbgrader's databases.
"""

from __future__ import annotations

from sqlalchemy import select


def _submitted(query, assignment, students):
    from nbgrader.api import Assignment, SubmittedAssignment, SubmittedNotebook

    return (query.join(SubmittedAssignment,
                       SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .where(Assignment.name == assignment,
                   SubmittedAssignment.student_id.in_(list(students))))


def read_bases(db, assignment: str, students) -> dict:
    """``{student: basis}`` for the submissions of ``assignment`` by ``students``
    (a student with no submission is left out); ``db`` is an SQLAlchemy
    connection. Two bases compare equal when the pages agree."""
    from nbgrader.api import BaseCell, Comment, Grade, Notebook, SubmittedAssignment
    from nbgrader.api import SubmittedNotebook

    students = list(students)
    if not students:
        return {}
    bases = {}

    def basis(student):
        return bases.setdefault(student, {"grades": {}, "comments": {}, "penalties": {}})

    notebooks = _submitted(
        select(SubmittedAssignment.student_id, Notebook.name,
               SubmittedNotebook.late_submission_penalty)
        .select_from(SubmittedNotebook)
        .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id), assignment, students)
    for student, notebook, penalty in db.execute(notebooks):
        basis(student)["penalties"][notebook] = penalty
    for table, values in ((Grade, (Grade.score, Grade.max_score)), (Comment, (Comment.comment,))):
        rows = _submitted(
            select(SubmittedAssignment.student_id, Notebook.name, BaseCell.name, *values)
            .select_from(table)
            .join(SubmittedNotebook, table.notebook_id == SubmittedNotebook.id)
            .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
            .join(BaseCell, table.cell_id == BaseCell.id), assignment, students)
        key = "grades" if table is Grade else "comments"
        for student, notebook, cell, *value in db.execute(rows):
            basis(student)[key][notebook, cell] = tuple(value)
    return bases
