"""Course folders: found from inside, copied whole, their config read."""

import pytest

from autograder.workspace.folder import (
    CourseError,
    db_url,
    find_course_root,
    make_course,
)
from tests.support import REPO


def test_the_course_is_found_from_any_folder_inside_it(tmp_path):
    course = make_course(tmp_path / "course", template=REPO)
    inner = course / "source" / "backprop"
    assert find_course_root(inner) == course.resolve()
    assert db_url(course).endswith(f"{course.resolve()}/gradebook.db")


def test_a_course_copy_holds_the_config_sources_and_solutions(tmp_path):
    course = make_course(tmp_path / "course", template=REPO)
    assert (course / "nbgrader_config.py").is_file()
    assert (course / "source" / "backprop" / "backprop.ipynb").is_file()
    assert (course / "solutions" / "reference.py").is_file()
    assert not (course / "release").exists()


def test_an_incomplete_template_is_refused(tmp_path):
    (tmp_path / "template").mkdir()
    with pytest.raises(CourseError, match="lacks"):
        make_course(tmp_path / "course", template=tmp_path / "template")
