"""``backprop grade``: the same gradebook as ``nbgrader autograde``, faster.

One small class (a correct, a raising, an untouched and a wrong submission)
is graded twice from the same generated course with the same hidden seed:
sequentially by plain ``nbgrader autograde`` and in parallel by
``backprop grade``. The tests compare every grade and every grade cell's
output, then check incremental runs, failures, usage errors and a run killed
with SIGKILL in the middle.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.core.course import ASSIGNMENT, NOTEBOOK
from autograder.demo.sample_class import make_release, write_submissions
from autograder.workspace.folder import db_url, tool_env
from tests.grading.helpers import (
    BY_NAME,
    clone,
    grade_ids,
    gradebook_dump,
    gradebook_table,
    graded_outputs,
    run_backprop,
)

SEED = 20240611
CLASS = [(name, BY_NAME[name]) for name in ("perfect", "raises", "untouched", "sign_error")]


# -- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The course with its release and gradebook, hidden seed pinned."""
    return make_release(tmp_path_factory.mktemp("parallel") / "template", seed=SEED)


@pytest.fixture(scope="module")
def graded_pair(template, tmp_path_factory):
    """The class graded by plain, sequential ``nbgrader autograde`` and by
    ``backprop grade --feedback`` with two workers, started together (so that
    both run the same code even while the package is being edited)."""
    folder = tmp_path_factory.mktemp("graded")
    sequential, parallel = clone(template, folder / "sequential"), clone(template, folder / "parallel")
    for course in (sequential, parallel):
        write_submissions(course, CLASS)
    stock = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
                             cwd=sequential, env=tool_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    ours = run_backprop(["grade", ASSIGNMENT, "--workers", 2, "--feedback"], course=parallel)
    log, _ = stock.communicate(timeout=900)
    assert stock.returncode == 0, log[-3000:]
    return sequential, (parallel, ours)


@pytest.fixture(scope="module")
def sequential(graded_pair):
    return graded_pair[0]


@pytest.fixture(scope="module")
def parallel(graded_pair):
    return graded_pair[1]


# -- the same results ------------------------------------------------------------------


@pytest.mark.slow
def test_parallel_run_succeeds_and_reports(parallel):
    course, result = parallel
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Graded 4 submissions" in result.stdout
    assert "FAILED" not in result.stdout
    # whether the kernels were sandboxed is said, as `nbgrader autograde` logs it
    from autograder.sandbox.probe import describe_sandbox

    assert f"Student kernels: {describe_sandbox()}" in result.stdout
    logs = "".join(path.read_text() for path in (course / ".backprop" / "logs").glob("*.log"))
    assert f"Student kernels: {describe_sandbox()}" in logs
    assert "4/4" in result.stderr  # the progress line
    assert "Wrote the feedback of 4 submissions to feedback/<student>/backprop/" in result.stdout
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    assert sorted(last["graded"]) == sorted(name for name, _ in CLASS)
    assert last["feedback_written"] == 4 and not last["feedback_left"]
    assert len(last["workers"]) == 2
    assert all(w["kernel_peak_rss"] > 0 for w in last["workers"].values())
    # kernels were started ahead of their submissions (one per worker at start,
    # then one during each submission that has a successor)
    kernels = [t["kernels"] for t in last["timings"].values()]
    assert sum(k.get("warm", 0) for k in kernels) >= len(CLASS) - 1, kernels
    # the class report is written at the end of every run; its charts got ready
    # while the last submissions ran
    assert "Class report:" in result.stdout
    assert logs.count("Prepared for the end of the run in") == 1, logs[-3000:]
    report = course / "reports" / ASSIGNMENT
    assert (report / "report.html").is_file() and (report / "scores_histogram.png").is_file()


@pytest.mark.slow
def test_same_gradebook_as_nbgrader_autograde(sequential, parallel):
    course, _ = parallel
    expected = gradebook_table(sequential)
    got = gradebook_table(course)
    assert sorted(expected) == sorted(name for name, _ in CLASS)
    assert got == expected
    ids = set(grade_ids(course))
    for row in got.values():
        assert set(row) == ids
        assert all(auto is not None for auto, _, _ in row.values())
    # the class is a real test: full marks, partial marks and zeros
    totals = {s: sum(auto for auto, _, _ in row.values()) for s, row in got.items()}
    assert totals["perfect"] == sum(m for _, m, _ in got["perfect"].values())
    assert 0 < totals["raises"] < totals["perfect"]
    assert totals["untouched"] == 0
    # every row nbgrader writes, column by column: students, submissions,
    # notebooks, grades and comments, and no row more
    assert gradebook_dump(db_url(course)) == gradebook_dump(db_url(sequential))


@pytest.mark.slow
def test_same_autograded_notebooks(sequential, parallel):
    course, _ = parallel
    ids = grade_ids(course)
    for student, _ in CLASS:
        expected = graded_outputs(sequential, student)
        got = graded_outputs(course, student)
        for grade_id in ids:
            assert got[grade_id] == expected[grade_id], (student, grade_id)
        assert got == expected, student
        results = [json.loads((c / "autograded" / student / ASSIGNMENT /
                               "backprop-results.json").read_text())["items"]
                   for c in (sequential, course)]
        assert results[0] == results[1]


def _tree(folder: Path) -> dict:
    """Every file under ``folder``: its bytes and permission bits."""
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mode & 0o7777)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _generate_feedback(course, *args):
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT,
                           *args], cwd=course, env=tool_env(), capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.slow
def test_same_feedback_as_nbgrader_generate_feedback(parallel, tmp_path):
    """The workers' pages are the ones ``nbgrader generate_feedback`` writes from
    the same autograded folders and gradebook (a copy of the course, so that
    the command writes its own)."""
    course, _ = parallel
    stock = clone(course, tmp_path / "stock")
    shutil.rmtree(stock / "feedback")
    _generate_feedback(stock)
    expected, got = _tree(stock / "feedback"), _tree(course / "feedback")
    pages = sorted(name for name in expected if name.endswith(".html"))
    assert pages == sorted(f"{s}/{ASSIGNMENT}/{NOTEBOOK}.html" for s, _ in CLASS)
    assert len(expected) > len(pages)  # the autograded folder's other files are copied too
    assert got == expected


FEEDBACK_REFUSED = """
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor


class RefusePage(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        if resources["nbgrader"]["student"] == "untouched":
            raise RuntimeError("no page for the test")
        return nb, resources


c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, RefusePage]
"""


@pytest.mark.slow
def test_feedback_the_workers_cannot_stand_for_is_left_alone(parallel, tmp_path):
    """A manual grade the workers do not see leaves the student's page to nbgrader;
    a page that fails is named, and its grades stand; a missing page is regraded."""
    from nbgrader.api import Gradebook

    course = clone(parallel[0], tmp_path / "course")
    shutil.copytree(parallel[0] / ".backprop", course / ".backprop",
                    ignore=shutil.ignore_patterns("logs", "*.lock"))
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(FEEDBACK_REFUSED)
    page = course / "feedback" / "{}" / ASSIGNMENT / f"{NOTEBOOK}.html"
    with Gradebook(db_url(course)) as gradebook:
        grade = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, "raises").grades[0]
        grade.manual_score = grade.max_score
        gradebook.db.commit()
    before = {s: Path(str(page).format(s)).read_bytes() for s, _ in CLASS}
    Path(str(page).format("perfect")).unlink()

    run = run_backprop(["grade", ASSIGNMENT, "--workers", 2, "--feedback", "--force",
                        "--student", "raises", "--student", "perfect",
                        "--student", "untouched"], course=course)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Graded 3 submissions" in run.stdout
    assert "Wrote the feedback of 1 submission to" in run.stdout
    assert "1 submission has grades in the gradebook that the workers do not see" in run.stdout
    assert "NO FEEDBACK: 1 graded submission" in run.stdout
    assert "untouched: its feedback could not be written: RuntimeError: no page for the test" \
        in run.stdout
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    assert last["feedback_left"] == ["raises"] and list(last["feedback_failed"]) == ["untouched"]
    assert sorted(last["graded"]) == ["perfect", "raises", "untouched"]
    assert Path(str(page).format("perfect")).read_bytes().rstrip().endswith(b"</html>")
    assert Path(str(page).format("raises")).read_bytes() == before["raises"]  # left as it was
    assert Path(str(page).format("untouched")).read_bytes() == before["untouched"]
    # the raises page had to be left: nbgrader's own page now differs from it
    _generate_feedback(course, "--force", "--student", "raises")
    assert Path(str(page).format("raises")).read_bytes() != before["raises"]

    # a run with feedback regrades only the submissions with no page written: one
    # whose page is missing, one whose page failed (and fails again); not one whose
    # page was left to nbgrader, even with its page gone
    Path(str(page).format("sign_error")).unlink()
    Path(str(page).format("raises")).unlink()
    again = run_backprop(["grade", ASSIGNMENT, "--workers", 2, "--feedback"], course=course)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "Graded 2 submissions" in again.stdout, again.stdout + again.stderr
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    assert sorted(last["graded"]) == ["sign_error", "untouched"]
    assert Path(str(page).format("sign_error")).read_bytes().rstrip().endswith(b"</html>")


# -- incremental runs ---------------------------------------------------------------------


@pytest.mark.slow
def test_rerun_grades_only_new_or_changed_submissions(parallel, tmp_path):
    course = clone(parallel[0], tmp_path / "course")
    shutil.copytree(parallel[0] / ".backprop", course / ".backprop",
                    ignore=shutil.ignore_patterns("logs", "*.lock"))
    before = gradebook_table(course)

    again = run_backprop(["grade", ASSIGNMENT], course=course)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Graded 0 submissions" in again.stdout
    assert "4 unchanged submissions were already graded" in again.stdout

    # sign_error hands in the correct solution instead; a new student joins
    perfect = course / "submitted" / "perfect" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    shutil.copy(perfect, course / "submitted" / "sign_error" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    write_submissions(course, [("latecomer", BY_NAME["no_learnrate"])])
    changed = run_backprop(["grade", ASSIGNMENT], course=course)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "Graded 2 submissions" in changed.stdout
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    assert sorted(last["graded"]) == ["latecomer", "sign_error"]
    assert last["order"] == ["latecomer", "sign_error"]  # never timed first, then the slowest
    after = gradebook_table(course)
    assert after["sign_error"] == before["perfect"]
    assert {s: after[s] for s in before if s != "sign_error"} == \
        {s: before[s] for s in before if s != "sign_error"}
    assert 0 < sum(a for a, _, _ in after["latecomer"].values())

    forced = run_backprop(["grade", ASSIGNMENT, "--force", "--student", "raises"], course=course)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "Graded 1 submission " in forced.stdout
    assert gradebook_table(course) == after


# -- failures and usage errors ----------------------------------------------------------------


REFUSING_STEPS = """
from nbgrader.preprocessors import NbGraderPreprocessor


class Refuse(NbGraderPreprocessor):
    student = ""

    def preprocess(self, nb, resources):
        if resources["nbgrader"]["student"] == self.student:
            raise RuntimeError("refused by the test")
        return nb, resources


class RefuseToSanitize(Refuse):
    student = "cannot_sanitize"


class RefuseToSave(Refuse):
    student = "cannot_save"


c.Autograde.sanitize_preprocessors = list(c.Autograde.sanitize_preprocessors) + [RefuseToSanitize]
c.Autograde.autograde_preprocessors = list(c.Autograde.autograde_preprocessors) + [RefuseToSave]
"""


@pytest.mark.slow
def test_submissions_that_fail_to_grade_are_listed_and_exit_1(template, tmp_path):
    course = clone(template, tmp_path / "course")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(REFUSING_STEPS)
    write_submissions(course, [("perfect", BY_NAME["perfect"]),
                               ("cannot_sanitize", BY_NAME["perfect"]),
                               ("cannot_save", BY_NAME["perfect"])])
    result = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=course)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Graded 1 submission " in result.stdout
    assert "FAILED TO GRADE: 2 submissions" in result.stdout
    assert "  cannot_sanitize: nbgrader could not sanitize it: RuntimeError: refused by the " \
        "test" in result.stdout
    assert "  cannot_save: nbgrader could not grade it: RuntimeError: refused by the test" \
        in result.stdout
    assert all(auto is not None for auto, _, _ in gradebook_table(course)["perfect"].values())
    for student in ("cannot_sanitize", "cannot_save"):  # removed, as nbgrader does
        assert not (course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb").exists()
    # failures are tried again by the next run, the graded submission is not
    again = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=course)
    assert again.returncode == 1
    assert "1 unchanged submission was already graded" in again.stdout
    assert "FAILED TO GRADE: 2 submissions" in again.stdout


@pytest.mark.slow
def test_a_worker_error_fails_its_submissions(template, tmp_path):
    course = clone(template, tmp_path / "course")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write('c.SandboxedKernelManager.bwrap_path = "/nonexistent/bwrap"\n'
                     "c.SandboxedKernelManager.require_sandbox = True\n")
    write_submissions(course, [("perfect", BY_NAME["perfect"])])
    result = run_backprop(["grade", ASSIGNMENT, "--workers", 1], course=course)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "  perfect: the worker could not execute it: SandboxUnavailableError" in result.stdout


@pytest.mark.slow
def test_usage_and_file_errors_exit_2(template, tmp_path):
    missing = run_backprop(["grade", ASSIGNMENT], course=tmp_path / "nowhere")
    assert missing.returncode == 2
    assert "not a course folder" in missing.stderr
    course = clone(template, tmp_path / "course")
    unknown = run_backprop(["grade", "no_such_assignment"], course=course)
    assert unknown.returncode == 2
    assert "unknown assignment" in unknown.stderr
    nobody = run_backprop(["grade", ASSIGNMENT], course=course)
    assert nobody.returncode == 2
    assert "no submissions" in nobody.stderr
    write_submissions(course, [("perfect", BY_NAME["perfect"])])
    stranger = run_backprop(["grade", ASSIGNMENT, "--student", "stranger"], course=course)
    assert stranger.returncode == 2
    assert "stranger" in stranger.stderr


# -- crash safety ------------------------------------------------------------------------------


def _children(pid) -> set:
    """Every descendant of ``pid`` (workers, the fork server, kernels)."""
    found, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = {int(p) for p in (task / "children").read_text().split()}
            except OSError:
                continue
            todo.extend(children - found)
            found |= children
    return found


def _alive(pid) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _start_and_kill(course, ready, timeout=300):
    """Start ``backprop grade``, wait until ``ready()``, SIGKILL it; return its workers."""
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT,
               "--workers", "2", "--course", str(course)]
    process = subprocess.Popen(command, env=tool_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    workers = set()
    try:
        while not ready():
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run never got there"
            workers |= _children(process.pid)
            time.sleep(0.05)
        workers |= _children(process.pid)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    return workers


def _recorded(course) -> int:
    """Students recorded as graded (the state file and its journal)."""
    from autograder.grading.state import GradeState

    return len(GradeState(course).data["assignments"].get(ASSIGNMENT, {}).get("students", {}))


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_loses_nothing(template, sequential, tmp_path):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the run's worker processes")
    course = clone(template, tmp_path / "course")
    write_submissions(course, CLASS)
    autograded = course / "autograded"

    # 1. killed while the first submissions are sanitized and executing
    workers = _start_and_kill(course, lambda: any(autograded.glob(f"*/{ASSIGNMENT}/*.ipynb")))
    assert _recorded(course) == 0
    # 2. killed right after the first batch was written to the gradebook (the coordinator
    # writes returned submissions in batches, so the first may hold the whole class)
    workers |= _start_and_kill(course, lambda: _recorded(course) >= 1)
    done_before = _recorded(course)
    assert 1 <= done_before <= len(CLASS)

    deadline = time.monotonic() + 30  # the workers (and their kernels) die with the run
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]

    result = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=course)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Graded {len(CLASS) - done_before} submission" in result.stdout
    assert gradebook_table(course) == gradebook_table(sequential)

    # one submission row per student, one grade per cell, none blank
    with sqlite3.connect(course / "gradebook.db") as db:
        students = db.execute("select count(*), count(distinct student_id) from "
                              "submitted_assignment").fetchone()
        grades = db.execute("select count(*), count(auto_score) from grade").fetchone()
    assert students == (len(CLASS), len(CLASS))
    assert grades == (len(CLASS) * len(grade_ids(course)),) * 2


@pytest.mark.slow
def test_a_worker_killed_mid_task_is_replaced_and_its_task_rerun(template, tmp_path):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the run's worker processes")
    course = clone(template, tmp_path / "course")
    write_submissions(course, CLASS[:3])
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT,
               "--workers", "2", "--course", str(course)]
    process = subprocess.Popen(command, env=tool_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    victim = None
    while victim is None:
        assert process.poll() is None and time.monotonic() < deadline
        for pid in _children(process.pid):  # a worker: it runs a kernel
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_text()
            except OSError:
                continue
            if "autograder.cli" in cmdline and _children(pid):
                victim = pid
                break
        time.sleep(0.1)
    os.kill(victim, signal.SIGKILL)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, out + err
    assert "Graded 3 submissions" in out
    table = gradebook_table(course)
    assert sorted(table) == sorted(name for name, _ in CLASS[:3])
    assert all(auto is not None for row in table.values() for auto, _, _ in row.values())
