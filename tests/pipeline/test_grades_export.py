"""``nbgrader export`` with the course's plugin writes nbgrader's own CSV."""

import datetime
import shutil

import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin

from autograder.pipeline.gradebook_index import INDEXED, ensure_indexes, index_name
from autograder.pipeline.grades_export import CsvExport


@pytest.fixture(scope="module")
def made_once(tmp_path_factory):
    """Two assignments, students with and without names, late work, manual and
    extra credit, a student with no submission, scores that do not add up
    exactly in binary."""
    path = tmp_path_factory.mktemp("export") / "gradebook.db"
    url = f"sqlite:///{path}"
    with Gradebook(url, "course") as gb:
        gb.add_assignment("hw1", duedate=datetime.datetime(2030, 1, 1, 12))
        gb.add_assignment("hw2", duedate=None)
        for assignment in ("hw1", "hw2"):
            gb.add_notebook("nb", assignment)
            for cell in ("a", "b", "c"):
                gb.add_grade_cell(cell, "nb", assignment, max_score=1.3, cell_type="code")
        gb.add_student("zoe", first_name="Zoë", last_name="Zed", email="z@example.org")
        gb.add_student("al", last_name="Able")
        gb.add_student("nobody")
        gb.add_student("dee", first_name="Dee", last_name="Able")
        for student, assignment, timestamp in (("zoe", "hw1", "2030-01-02 12:00:00"),
                                               ("al", "hw1", None), ("dee", "hw2", None),
                                               ("zoe", "hw2", "2030-03-01 00:00:00")):
            gb.add_submission(assignment, student, **({"timestamp": timestamp}
                                                      if timestamp else {}))
            for cell, score in zip("abc", (0.1, 0.2, 0.7)):
                gb.find_grade(cell, "nb", assignment, student).auto_score = score
        gb.find_grade("a", "nb", "hw1", "al").manual_score = 1.25
        gb.find_grade("b", "nb", "hw1", "al").extra_credit = 0.5
        gb.find_submission_notebook("nb", "hw1", "zoe").late_submission_penalty = 0.3
        gb.db.commit()
    return path


@pytest.fixture
def gradebook(made_once, tmp_path):
    shutil.copy(made_once, tmp_path / "gradebook.db")
    return f"sqlite:///{tmp_path / 'gradebook.db'}"


def _export(plugin_class, url, path, **options):
    with Gradebook(url, "course") as gb:
        plugin_class(to=str(path), **options).export(gb)
    return path.read_text()


@pytest.mark.parametrize("options", [{}, {"student": ["al", "nobody"]},
                                     {"assignment": ["hw2"]}])
def test_same_csv_as_nbgraders_plugin(gradebook, tmp_path, options):
    ours = _export(CsvExport, gradebook, tmp_path / "ours.csv", **options)
    theirs = _export(CsvExportPlugin, gradebook, tmp_path / "theirs.csv", **options)
    assert ours == theirs
    assert ours.count("\n") > 1


def test_the_cases_are_in_the_file(gradebook, tmp_path):
    rows = _export(CsvExport, gradebook, tmp_path / "grades.csv").splitlines()
    assert rows[0].startswith("assignment,duedate,timestamp,student_id")
    assert any(row.startswith("hw1,2030-01-01 12:00:00,,nobody,,,,0.0,0.0,0.0,") for row in rows)
    assert any(",zoe,Zed,Zoë,z@example.org," in row and ",0.3," in row for row in rows)


def test_indexes_are_added_once(gradebook):
    made = ensure_indexes(gradebook)
    assert sorted(made) == sorted(index_name(t, c) for t, c in INDEXED)
    assert ensure_indexes(gradebook) == []
