"""The coordinator's batched writes leave the gradebook nbgrader's own steps leave.

No kernel runs here. The same graded notebooks go two ways from the same
gradebook state: (A) nbgrader's own calls, as ``nbgrader autograde`` makes them
(``update_or_create_student``, ``update_or_create_submission``, the zeros of a
missing notebook, ``SaveAutoGrades``, ``AssignLatePenalties``), straight into
a gradebook; (B) the same calls into a replica of the assignment, as a worker
makes them, read back as records and written by :class:`GradebookWriter` in
one batch. Both gradebooks must then hold the same rows, column by column,
including the states nbgrader reads back: a manual score given before the
regrade, an extension, a late submission, a cell the notebook lacks.
"""

import datetime
import shutil

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
from traitlets.config import Config

from autograder.grading import replica
from autograder.grading.gradebook_writer import GradebookWriter
from autograder.grading.records import GradedRecord
from tests.grading.helpers import gradebook_dump

COURSE, ASSIGNMENT = "course", "hw"
DUE = datetime.datetime(2030, 1, 10, 12, 0, 0)
LATE_CONFIG = Config({"LateSubmissionPlugin": {"penalty_method": "zero"}})


def _cell(cell, grade_id, **flags):
    cell.metadata.nbgrader = {"grade_id": grade_id, "schema_version": 3, "locked": False,
                              "grade": False, "solution": False, **flags}
    if flags.get("solution") or flags.get("task"):
        cell.metadata.nbgrader["checksum"] = utils.compute_checksum(cell)
    return cell


def _notebook(score_output, answered):
    """A graded notebook: a partial-credit code cell, an erroring one, a written
    answer (grade and solution), a solution cell and a task (``answered``
    changes the student's cells, so their checksums no longer match)."""
    nb = new_notebook()
    scored = _cell(new_code_cell("check()"), "g_score", grade=True, points=4)
    scored.outputs = [new_output("execute_result", data={"text/plain": score_output},
                                 execution_count=1)]
    raised = _cell(new_code_cell("check()"), "g_error", grade=True, points=2)
    raised.outputs = [new_output("error", ename="E", evalue="x", traceback=[])]
    answer = _cell(new_markdown_cell("YOUR ANSWER HERE"), "m_answer", grade=True,
                   solution=True, points=3)
    code = _cell(new_code_cell("# YOUR CODE HERE"), "s_code", solution=True)
    task = _cell(new_markdown_cell("Describe it"), "t_task", task=True, points=1)
    if answered:
        answer.source, code.source = "my answer", "x = 1"
    nb.cells = [scored, raised, answer, code, task]
    return nb


def _make_gradebook(url):
    with Gradebook(url, COURSE) as gb:
        gb.add_assignment(ASSIGNMENT, duedate=DUE, course_id=COURSE)
        for notebook in ("first", "second"):
            gb.add_notebook(notebook, ASSIGNMENT)
            gb.add_grade_cell("g_score", notebook, ASSIGNMENT, max_score=4, cell_type="code")
            gb.add_grade_cell("g_error", notebook, ASSIGNMENT, max_score=2, cell_type="code")
            gb.add_grade_cell("g_absent", notebook, ASSIGNMENT, max_score=5, cell_type="code")
            gb.add_grade_cell("m_answer", notebook, ASSIGNMENT, max_score=3,
                              cell_type="markdown")
            gb.add_solution_cell("m_answer", notebook, ASSIGNMENT)
            gb.add_solution_cell("s_code", notebook, ASSIGNMENT)
            gb.add_task_cell("t_task", notebook, ASSIGNMENT, max_score=1, cell_type="markdown")
            for name, kind in (("g_score", "code"), ("g_error", "code"), ("g_absent", "code"),
                               ("m_answer", "markdown"), ("s_code", "code"),
                               ("t_task", "markdown")):
                gb.add_source_cell(name, notebook, ASSIGNMENT, cell_type=kind,
                                   locked=name.startswith("g_"), source=f"source of {name}",
                                   checksum="0" * 32)


#: (student, timestamp or None, {notebook: (score output, answered)}); a
#: notebook left out was not submitted.
CLASS = [
    ("ann", None, {"first": ("1.5", True), "second": ("4.0", False)}),
    ("bob", "2030-01-11 12:00:00", {"first": ("2.0", True), "second": ("0.0", True)}),
    ("cy", "2030-01-09 08:30:00.250000", {"first": ("3", False)}),
]


def _steps_nbgrader_takes(url, student, timestamp, notebooks, *, after_init=None):
    """nbgrader autograde's gradebook calls for one student, in its order."""
    with Gradebook(url, COURSE) as gb:
        gb.update_or_create_student(student)
        if timestamp:
            gb.update_or_create_submission(ASSIGNMENT, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(ASSIGNMENT, student)
        for notebook in gb.find_assignment(ASSIGNMENT).notebooks:
            if notebook.name not in notebooks:  # Autograde.init_assignment's zeros
                for grade in gb.find_submission_notebook(notebook.name, ASSIGNMENT,
                                                         student).grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gb.db.commit()
    if after_init:
        after_init(student)
    for name, (output, answered) in notebooks.items():
        resources = {"nbgrader": {"notebook": name, "assignment": ASSIGNMENT,
                                  "student": student, "db_url": url}}
        nb = _notebook(output, answered)
        SaveAutoGrades().preprocess(nb, resources)
        AssignLatePenalties(config=LATE_CONFIG).preprocess(nb, resources)


def _prior_state(url):
    """What the formgrader left before this regrade: bob's earlier grading with
    a manual score and an extra credit, an extension for cy, a stale score of a
    cell the notebook no longer has."""
    with Gradebook(url, COURSE) as gb:
        for student in ("bob", "cy"):
            gb.update_or_create_student(student, first_name=student.title())
            gb.update_or_create_submission(ASSIGNMENT, student)
        grade = gb.find_grade("g_score", "first", ASSIGNMENT, "bob")
        grade.manual_score, grade.extra_credit, grade.auto_score = 3.5, 0.5, 1.0
        gb.find_grade("g_absent", "first", ASSIGNMENT, "bob").auto_score = 5.0
        gb.find_comment("s_code", "first", ASSIGNMENT, "bob").manual_comment = "nice"
        gb.db.commit()
        gb.grant_extension(ASSIGNMENT, "cy", days=2)


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """The assignment's gradebook, made once (nbgrader runs alembic to make one)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    _make_gradebook(f"sqlite:///{path}")
    return path


@pytest.fixture
def pair(tmp_path, empty_gradebook):
    """(nbgrader's gradebook, ours, the replica's path) from the same state."""
    direct, ours = tmp_path / "direct.db", tmp_path / "ours.db"
    shutil.copy(empty_gradebook, direct)
    replica_path = tmp_path / "replica.db"
    replica.build_replica(f"sqlite:///{direct}", ASSIGNMENT, COURSE, str(replica_path))
    _prior_state(f"sqlite:///{direct}")
    shutil.copy(direct, ours)
    return f"sqlite:///{direct}", f"sqlite:///{ours}", replica_path


def _worker_record(replica_path, tmp_path, student, timestamp, notebooks) -> GradedRecord:
    """What a worker returns: nbgrader's calls on a fresh replica, read back."""
    fresh = tmp_path / f"replica-{student}.db"
    shutil.copy(replica_path, fresh)
    url = f"sqlite:///{fresh}"
    _steps_nbgrader_takes(url, student, timestamp, notebooks,
                          after_init=lambda s: replica.mark_untouched(str(fresh), s))
    rows = replica.written_rows(str(fresh), student)
    missing = sorted({"first", "second"} - set(notebooks))
    return GradedRecord(student, missing=missing, **rows)


def _writer(url):
    return GradebookWriter(url, ASSIGNMENT, late_step=AssignLatePenalties(config=LATE_CONFIG))


def test_a_batch_writes_what_nbgrader_writes(pair, tmp_path):
    direct, ours, replica_path = pair
    for student, timestamp, notebooks in CLASS:
        _steps_nbgrader_takes(direct, student, timestamp, notebooks)
    records = [_worker_record(replica_path, tmp_path, *entry) for entry in CLASS]
    writer = _writer(ours)
    assert writer.write(records) == {}
    writer.close()
    expected, got = gradebook_dump(direct), gradebook_dump(ours)
    assert got == expected
    # the cases are really there
    assert expected["grade"][(ASSIGNMENT, "bob", "first", "g_score", "GradeCell")] == \
        (2.0, 3.5, 0.5, True)  # new auto score; the manual one still asks for review
    assert expected["grade"][(ASSIGNMENT, "bob", "first", "g_absent", "GradeCell")][0] == 5.0
    assert expected["notebooks"][(ASSIGNMENT, "bob", "first")][1] > 0  # late: penalty
    assert expected["notebooks"][(ASSIGNMENT, "cy", "first")][1] is None  # extension
    assert expected["grade"][(ASSIGNMENT, "cy", "second", "g_score", "GradeCell")] == \
        (0.0, None, None, False)  # not submitted
    assert expected["comment"][(ASSIGNMENT, "ann", "second", "s_code", "SolutionCell")][0] == \
        "No response."


def test_a_regrade_in_a_batch_writes_what_nbgrader_writes(pair, tmp_path):
    direct, ours, replica_path = pair
    for url in (direct, ours):  # graded once, as nbgrader does
        for student, timestamp, notebooks in CLASS:
            _steps_nbgrader_takes(url, student, timestamp, notebooks)
    again = [(s, "2030-01-12 00:00:00", {"first": ("0.5", False)}) for s, _, _ in CLASS]
    for entry in again:
        _steps_nbgrader_takes(direct, *entry)
    writer = _writer(ours)
    assert writer.write([_worker_record(replica_path, tmp_path, *e) for e in again]) == {}
    writer.close()
    assert gradebook_dump(ours) == gradebook_dump(direct)


def test_a_failing_student_fails_alone_and_is_not_half_written(pair, tmp_path):
    direct, ours, replica_path = pair
    records = [_worker_record(replica_path, tmp_path, *entry) for entry in CLASS]
    records[1].notebooks["first"].grades["no_such_cell"] = (1.0, False)  # cannot be written
    writer = _writer(ours)
    errors = writer.write(records)
    writer.close()
    assert list(errors) == ["bob"]
    for student, timestamp, notebooks in (CLASS[0], CLASS[2]):
        _steps_nbgrader_takes(direct, student, timestamp, notebooks)
    got, expected = gradebook_dump(ours), gradebook_dump(direct)
    assert got == expected  # ann and cy written, bob exactly as before the run


def test_a_student_that_failed_after_init_gets_nbgrader_s_first_rows(pair, tmp_path):
    direct, ours, replica_path = pair
    fresh = tmp_path / "replica-dee.db"
    shutil.copy(replica_path, fresh)
    with Gradebook(f"sqlite:///{fresh}", COURSE) as gb:  # then the sanitize step failed
        gb.update_or_create_student("dee")
        gb.update_or_create_submission(ASSIGNMENT, "dee", timestamp="2030-01-01 00:00:00")
    replica.mark_untouched(str(fresh), "dee")
    record = GradedRecord("dee", failure="nbgrader could not sanitize it: boom",
                          **replica.written_rows(str(fresh), "dee"))
    with Gradebook(direct, COURSE) as gb:
        gb.update_or_create_student("dee")
        gb.update_or_create_submission(ASSIGNMENT, "dee", timestamp="2030-01-01 00:00:00")
    writer = _writer(ours)
    assert writer.write([record]) == {}
    writer.close()
    assert gradebook_dump(ours) == gradebook_dump(direct)


def test_a_record_travels_as_json(pair, tmp_path):
    _, _, replica_path = pair
    record = _worker_record(replica_path, tmp_path, *CLASS[1])
    record.files = {"first.ipynb": b"{}"}
    again = GradedRecord.from_json(record.to_json(), files=record.files)
    assert again == record
    assert again.notebooks["first"].grades["g_score"] == (2.0, False)
    assert again.notebooks["first"].comments["s_code"] is None  # answered: no comment
