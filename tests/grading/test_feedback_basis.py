"""A worker's feedback page stands for nbgrader's exactly when the bases agree.

No kernel runs here. The class of ``test_gradebook_writer`` is graded the way
a worker grades it (nbgrader's steps on a replica) and written into the real
gradebook in one batch; then each student's basis (what ``GetGrades`` reads)
is read from the worker's replica and from the real gradebook.
"""

import sqlalchemy

from autograder.grading import replica
from autograder.grading.feedback_basis import read_bases
from tests.grading.test_gradebook_writer import ASSIGNMENT, CLASS, _worker_record, _writer
from tests.grading.test_gradebook_writer import empty_gradebook, pair  # noqa: F401 - fixtures


def _bases(url, students):
    engine = sqlalchemy.create_engine(url, future=True)
    try:
        with engine.connect() as db:
            return read_bases(db, ASSIGNMENT, students)
    finally:
        engine.dispose()


def test_the_bases_differ_where_the_gradebook_holds_what_no_worker_sees(pair, tmp_path):
    _, ours, replica_path = pair
    records = [_worker_record(replica_path, tmp_path, *entry) for entry in CLASS]
    writer = _writer(ours)
    assert writer.write(records) == {}
    writer.close()
    students = [student for student, _, _ in CLASS]
    real = _bases(ours, students + ["nobody"])
    assert sorted(real) == sorted(students)  # no submission, no basis
    for student in students:  # as a worker does before it writes the page
        replica.unmark_untouched(str(tmp_path / f"replica-{student}.db"), student)
    seen = {s: _bases(f"sqlite:///{tmp_path / f'replica-{s}.db'}", [s])[s] for s in students}

    # ann: nothing but autograding (the task and g_absent, a cell in no notebook, are
    # written by no step: fresh rows in both); cy: an extension, but on time either way
    assert seen["ann"] == real["ann"]
    assert seen["cy"] == real["cy"]
    assert seen["ann"]["grades"]["first", "t_task"] == (0.0, 1.0)
    # bob: a manual score with extra credit and a manual comment from the formgrader,
    # and g_absent's score of an earlier grading, which the real row keeps
    assert seen["bob"] != real["bob"]
    assert real["bob"]["grades"]["first", "g_absent"] == (5.0, 5.0)
    assert seen["bob"]["grades"]["first", "g_absent"] == (0.0, 5.0)
    assert real["bob"]["grades"]["first", "g_score"] == (4.0, 4.0)  # 3.5 + 0.5 extra credit
    assert seen["bob"]["grades"]["first", "g_score"] == (2.0, 4.0)
    assert real["bob"]["comments"]["first", "s_code"] == ("nice",)

    # a basis holds every grade, comment and late penalty the page reads
    ann = real["ann"]
    assert set(ann["penalties"]) == {"first", "second"}
    assert {cell for _, cell in ann["grades"]} == {"g_score", "g_error", "g_absent",
                                                    "m_answer", "t_task"}
    assert {cell for _, cell in ann["comments"]} == {"m_answer", "s_code", "t_task"}
    assert ann["grades"]["first", "g_score"] == (1.5, 4.0)
    assert real["bob"]["penalties"]["first"] > 0  # late: nbgrader's penalty is there
    assert read_bases(None, ASSIGNMENT, []) == {}
