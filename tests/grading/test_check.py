"""``backprop check``: from a copy of the release folder alone, with exit codes."""

import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.demo import samples
from tests.support import RELEASE_DIR

pytestmark = pytest.mark.slow


def _backprop(*args, cwd):
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def student_folder(tmp_path):
    folder = tmp_path / "student"
    shutil.copytree(RELEASE_DIR, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def test_solved_notebook_passes(student_folder, release_nb, source_nb, check_cache):
    nbformat.write(samples.solved(release_nb, source_nb), str(student_folder / "backprop.ipynb"))
    result = _backprop("check", "backprop.ipynb", cwd=student_folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("[PASS]") == 12
    assert "12 of 12 items pass; 26 of 26 points" in result.stdout
    # the slow, seed-free part of its plan is kept for the next check ($BACKPROP_CACHE_DIR)
    assert len(list(check_cache.glob("training-*.npz"))) == 2
    assert len(list(check_cache.glob("data-*.npz"))) == 1


def test_untouched_release_fails_with_not_attempted(student_folder):
    result = _backprop("check", "backprop.ipynb", cwd=student_folder)
    assert result.returncode == 1
    assert result.stdout.count("Not attempted") == 12


def test_a_mistake_is_named(student_folder, release_nb, source_nb):
    sample = next(s for s in samples.MISTAKE_SAMPLES if s.name == "ex2_no_averaging")
    nbformat.write(samples.build(sample, release_nb, source_nb),
                   str(student_folder / "backprop.ipynb"))
    result = _backprop("check", "backprop.ipynb", "--json", cwd=student_folder)
    assert result.returncode == 1
    graded = json.loads(result.stdout)
    assert "ex2.updates.drop:inv_n" in {r["diagnosis"] for r in graded["items"]}
    # the one name, as backprop check prints it
    plain = _backprop("check", "backprop.ipynb", cwd=student_folder).stdout
    assert "diagnosis: Example 2, both weight updates: 1/n_records left out" in plain


def test_usage_and_file_errors_exit_2(student_folder, tmp_path):
    assert _backprop("check", "missing.ipynb", cwd=student_folder).returncode == 2
    (student_folder / "broken.ipynb").write_text("{ not json")
    broken = _backprop("check", "broken.ipynb", cwd=student_folder)
    assert broken.returncode == 2 and "could not be read: it is not valid JSON" in broken.stderr
    # one line says why, and what the grader would do; --json lists every item at 0
    assert broken.stdout == "" and broken.stderr.count("\n") == 1
    assert "the grader would score all 12 items 0" in broken.stderr
    listed = _backprop("check", "broken.ipynb", "--json", cwd=student_folder)
    items = json.loads(listed.stdout)["items"]
    assert listed.returncode == 2 and len(items) == 12
    assert all(item["score"] == 0 and "not valid JSON" in item["message"] for item in items)
    assert _backprop("check", cwd=student_folder).returncode == 2


def test_the_course_files_come_with_the_package(student_folder, tmp_path):
    """Like the grader, the check uses the course's own data files, not the student's."""
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    shutil.copy(student_folder / "backprop.ipynb", lonely)
    (lonely / "data_prep.py").write_text("raise SystemExit('a shadow data_prep.py ran')\n")
    alone = _backprop("check", "backprop.ipynb", cwd=lonely)
    assert alone.returncode == 1, alone.stdout + alone.stderr
    assert alone.stdout.count("Not attempted") == 12


def test_deleted_check_cells_score_0_as_in_the_grader(student_folder, release_nb, source_nb):
    notebook = samples.solved(release_nb, source_nb)
    notebook.cells = [c for c in notebook.cells
                      if c.metadata.get("nbgrader", {}).get("grade_id") != "ex1_error"]
    nbformat.write(notebook, str(student_folder / "backprop.ipynb"))
    result = _backprop("check", "backprop.ipynb", cwd=student_folder)
    assert result.returncode == 1
    assert "[FAIL] ex1_error: 0/1  This check cell was deleted" in result.stdout
    assert "11 of 12 items pass; 25 of 26 points" in result.stdout


def test_an_unsaved_looking_notebook_gets_a_note(student_folder):
    result = _backprop("check", "backprop.ipynb", cwd=student_folder)
    assert "Note: backprop.ipynb on disk has never been run" in result.stdout


def test_timeout_bounds_the_whole_check(student_folder, release_nb, source_nb):
    """A `train_nn` that never returns: the check ends in about --timeout seconds, and the
    Example 2 items say that the training did not finish, in the student's terms."""
    import time

    from autograder.grading.check import time_limits

    limits = time_limits(40)
    assert limits["submission_timeout"] + limits["harvest_timeout"] + 10 + 2 <= 40
    assert 2 * limits["timeout"] <= limits["submission_timeout"]
    solved = samples.solved(release_nb, source_nb)
    cell = next(c for c in solved.cells if samples.grade_id(c) == samples.EX2_CELL)
    cell.source = ("def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):\n"
                   "    while True:\n        pass\n")
    nbformat.write(solved, str(student_folder / "backprop.ipynb"))
    start = time.monotonic()
    result = _backprop("check", "backprop.ipynb", "--timeout", "40", "--json",
                       cwd=student_folder)
    elapsed = time.monotonic() - start
    items = {item["grade_id"]: item for item in json.loads(result.stdout)["items"]}
    assert result.returncode == 1
    assert elapsed < 100, f"a check with --timeout 40 took {elapsed:.0f} s"
    assert all(items[g]["score"] == items[g]["max_score"] for g in items if g.startswith("ex1"))
    assert items["ex2_first_epoch"]["score"] == 0
    assert "did not finish" in items["ex2_first_epoch"]["message"]
