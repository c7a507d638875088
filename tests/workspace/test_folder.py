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
