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


# -- nbgrader's Python API: the course's config, or no protection ----------------------------
#: A submission (the untouched release otherwise) that turns the check cells' own
#: self-checks into no-ops: stock nbgrader then sees check cells that raise nothing.
SILENCE_SELFCHECKS = """
from autograder.student import selfcheck
for _name in [n for n in dir(selfcheck) if not n.startswith("_")]:
    setattr(selfcheck, _name, lambda *args, **kwargs: None)
"""


@pytest.mark.slow
def test_the_api_grades_protected_only_with_the_courses_config(tmp_path):
    import nbformat
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from autograder.core.course import TOTAL_POINTS
    from autograder.demo.sample_class import make_release
    from autograder.workspace.folder import course_config, read_grades

    course = make_release(tmp_path / "course", template=REPO, seed=5)
    release = nbformat.read(str(course / "release" / "backprop" / "backprop.ipynb"), 4)
    setup = next(i for i, c in enumerate(release.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    release.cells.insert(setup + 1, nbformat.v4.new_code_cell(SILENCE_SELFCHECKS))
    folder = course / "submitted" / "ann" / "backprop"
    folder.mkdir(parents=True)
    nbformat.write(release, str(folder / "backprop.ipynb"))

    bare = Config()  # the pattern of nbgrader's API documentation
    bare.CourseDirectory.root = str(course)
    assert NbGraderAPI(config=bare).autograde("backprop", "ann")["success"]
    assert sum(read_grades(course)["ann"].values()) == TOTAL_POINTS  # unprotected: full marks

    assert NbGraderAPI(config=course_config(course)).autograde("backprop", "ann")["success"]
    assert sum(read_grades(course)["ann"].values()) == 0  # the course's own pipeline
    graded = (course / "autograded" / "ann" / "backprop" / "backprop.ipynb").read_text()
    assert "backprop-verdict" in graded


def test_the_courses_config_installs_the_protected_pipeline():
    from autograder.pipeline.guarded_execute import GuardedExecute
    from autograder.workspace.folder import course_config

    config = course_config(REPO)
    assert GuardedExecute in config.Autograde.autograde_preprocessors
    assert config.CourseDirectory.root == str(REPO)


def test_late_penalties_are_nbgraders_per_student_sums(tmp_path):
    from nbgrader.api import Gradebook

    from autograder.workspace.folder import read_penalties

    course = make_course(tmp_path / "course", template=REPO)
    penalties = {"ann": (1.5, 2.0), "bob": (0.0, 0.0), "cy": (None, 3.0)}
    with Gradebook(db_url(course)) as gradebook:
        for name in ("backprop", "other"):
            gradebook.add_assignment(name)
            for notebook in ("one", "two"):
                gradebook.add_notebook(notebook, name)
        for student, (first, second) in penalties.items():
            gradebook.add_student(student)
            for name in ("backprop", "other"):
                gradebook.add_submission(name, student)
                for notebook, penalty in (("one", first), ("two", second)):
                    found = gradebook.find_submission_notebook(notebook, name, student)
                    found.late_submission_penalty = penalty if name == "backprop" else 9.0
        gradebook.db.commit()
        expected = {s.student_id: float(s.late_submission_penalty)
                    for s in gradebook.assignment_submissions("backprop")
                    if s.late_submission_penalty}
    assert expected == {"ann": 3.5, "cy": 3.0}
    assert read_penalties(course, "backprop") == expected


# -- the messages, in the reader's language -------------------------------------------------------
from autograder import i18n  # noqa: E402



def test_a_folder_that_is_not_a_course_is_named_in_english_by_default(tmp_path):
    from autograder.workspace.folder import course_folder

    with pytest.raises(CourseError) as refused:
        course_folder(tmp_path)
    assert str(refused.value) == (f"{tmp_path.resolve()} is not a course folder "
                                  "(no nbgrader_config.py and source/)")


def test_course_errors_are_in_the_readers_language(tmp_path):
    from autograder.workspace.folder import course_folder, find_course_root

    with i18n.language("zh_CN"):
        with pytest.raises(CourseError, match="不是课程文件夹"):
            course_folder(tmp_path)
        with pytest.raises(CourseError, match="找不到课程文件夹.*--course DIR"):
            find_course_root(tmp_path)
