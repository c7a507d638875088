"""The notebook's checks: where they run in full, where they stand aside, where they warn."""

import subprocess
import sys
import textwrap

import nbformat
import pytest

from autograder.student import selfcheck
from autograder.workspace.folder import make_course, nbgrader


def test_importing_it_imports_nothing_that_answers():
    program = ("import sys; from autograder.student import selfcheck; "
               "print(sorted(m for m in sys.modules if m.startswith('autograder')))")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == str(["autograder", "autograder.constants", "autograder.student",
                               "autograder.student.selfcheck"])


def test_it_checks_in_the_students_own_kernel(monkeypatch, capsys):
    monkeypatch.delenv("BACKPROP_GRADING", raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # nbgrader's Validate button
    selfcheck.ex1_quantity("error", 0.11502656915007464)
    assert "[PASS]" in capsys.readouterr().out


def test_it_stands_aside_in_the_graders_sandbox(monkeypatch, capsys):
    monkeypatch.setenv("BACKPROP_GRADING", "1")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert selfcheck.ex2_other_data(None) is None
    out = capsys.readouterr()
    assert out.out == "This item is graded by the course grader, outside your notebook.\n"
    assert out.err == ""


@pytest.mark.parametrize("grading", ["", "1"])
def test_it_warns_and_scores_nothing_in_an_autograde_outside_the_sandbox(
        monkeypatch, capsys, grading):
    """nbgrader sets NBGRADER_EXECUTION in its own process, which only a kernel that
    it starts itself (no sandbox) inherits; stderr makes nbgrader score the cell 0."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("BACKPROP_GRADING", grading)
    assert selfcheck.ex1_quantity("error", 0.11502656915007464) is None
    out = capsys.readouterr()
    assert out.out == "" and out.err == selfcheck.UNPROTECTED + "\n"


@pytest.mark.slow
def test_nbgraders_api_with_a_bare_config_scores_zero_with_the_warning(tmp_path):
    """The pattern of nbgrader's API documentation: the course config is never loaded."""
    course = make_course(tmp_path / "course")
    nbgrader(["generate_assignment", "backprop", "--force"], course=course)
    from autograder.demo import samples

    release = nbformat.read(str(course / "release/backprop/backprop.ipynb"), 4)
    source = nbformat.read(str(course / "source/backprop/backprop.ipynb"), 4)
    folder = course / "submitted" / "honest" / "backprop"
    folder.mkdir(parents=True)
    nbformat.write(samples.solved(release, source), str(folder / "backprop.ipynb"))
    program = textwrap.dedent(f"""
        from nbgrader.apps import NbGraderAPI
        from traitlets.config import Config
        config = Config()
        config.CourseDirectory.root = {str(course)!r}
        config.CourseDirectory.course_id = "backprop-course"
        result = NbGraderAPI(config=config).autograde("backprop", "honest")
        print("SUCCESS", result["success"])
    """)
    out = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True,
                         text=True, timeout=900)
    assert "SUCCESS True" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    graded = nbformat.read(str(course / "autograded/honest/backprop/backprop.ipynb"), 4)
    check_cells = [cell for cell in graded.cells
                   if cell.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert len(check_cells) == 12
    for cell in check_cells:
        errors = [out.get("text", "") for out in cell.outputs
                  if out.get("output_type") == "stream" and out.get("name") == "stderr"]
        assert errors == [selfcheck.UNPROTECTED + "\n"], cell.source
    from autograder.workspace.folder import read_grades

    assert set(read_grades(course)["honest"].values()) == {0.0}
