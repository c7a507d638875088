"""The hostile corpus (``tests/hostile/``), graded by ``nbgrader autograde`` and by
``backprop grade``.

One temporary course, one ``nbgrader generate_assignment``, one student per
case plus ``control_perfect`` (the solved notebook) and an unrelated
``bystander`` folder, then ONE ``nbgrader autograde backprop`` for the whole
class with the course's own ``nbgrader_config.py`` (short time limits and a
fixed hidden seed appended), and ``nbgrader generate_feedback`` for everyone.
Each case is then checked on its own (``test_case[...]``): the scores it must
get, every grade filled in automatically, the message it must show, what its
attack printed or must not have printed; and the class as a whole: nbgrader
succeeded for everyone it did not refuse, the control student has 26, nobody
else's files or the gradebook's cells changed, no secret reached any
autograded notebook or feedback, no connection reached the test's listeners,
no sandbox process, folder or CPU group outlived the run, the grader's log
stayed small, and the grader's peak memory and the size of ``autograded/``
plus ``feedback/`` (both printed) stayed bounded. While nbgrader grades the
class, ``backprop grade --workers 2 --force`` grades its twin (a second
course built the same way, with the same cases, secrets and listeners): every
score must equal the sequential run's, within the same bound on memory. The
two run at once because ``nbgrader autograde`` keeps one kernel busy at a
time and leaves the second core to the twin's run.

The course's secrets carry canaries: a comment in ``solutions/reference.py``,
a comment in the source notebook's solution, a student id in the gradebook
(besides the gradebook's "SQLite format 3" header). Run a few cases only with
``-k``, e.g. ``pytest tests/pipeline/test_hostile.py -k "os_exit or network"``:
the class is then just those cases and the control.
"""
from __future__ import annotations

import copy
import importlib.util
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import ASSIGNMENT, ITEMS, NOTEBOOK, TOTAL_POINTS
from autograder.demo import samples
from autograder.safe_trees import remove_tree
from autograder.sandbox import cpu_share
from autograder.sandbox.probe import describe_sandbox, sandbox_available
from autograder.workspace.folder import find_course_root, make_course, nbgrader, tool_env
from tests.pipeline.hostile_helpers import (
    Listener,
    PeakMemory,
    file_digests,
    folder_bytes,
    sandbox_processes,
    secrets_in,
    write_submission,
)
from tests.support import HOSTILE_DIR

HOSTILE = HOSTILE_DIR
sys.path.insert(0, str(HOSTILE))
import _kit  # noqa: E402  (the corpus's helpers, from tests/hostile/)

CASES = sorted(path.stem for path in HOSTILE.glob("*.py") if not path.name.startswith("_"))
CONTROL = "control_perfect"
BYSTANDER = "bystander"
SANDBOX_ROOT = re.compile(r"work folder (/\S+)/work")
HIDDEN_SEED = 20261102
#: The bounds the issue sets on grading the whole corpus.
MAX_GRADER_RSS = 2**30
MAX_OUTPUT_BYTES = 50 * 10**6

#: Appended to the course's nbgrader_config.py: short limits, sandbox required, and one
#: hidden seed, so that the sequential and the parallel run call the functions alike.
TEST_CONFIG = f"""

# -- tests/pipeline/test_hostile.py: shorter limits so that the corpus grades quickly --
# (training takes about 5 s on an idle machine; 30 s leaves room for a loaded one)
c.GuardedExecute.timeout = 30
c.GuardedExecute.submission_timeout = 90
c.GuardedExecute.harvest_timeout = 20
c.SandboxedKernelManager.require_sandbox = True
c.BackpropGrader.hidden_seed = {HIDDEN_SEED}
c.Application.log_format = "%(asctime)s [%(name)s | %(levelname)s] %(message)s"
c.Application.log_datefmt = "%H:%M:%S"
"""


def load_case(name: str):
    spec = importlib.util.spec_from_file_location(f"hostile_{name}", HOSTILE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the run -------------------------------------------------------------------------------
@dataclass
class Run:
    course: Path
    cases: list
    modules: dict
    secrets: list
    returncode: int
    log: str
    log_bytes: int
    seconds: float
    grades: dict          # student -> {grade_id: Grade columns} | None (no submission)
    roster: set
    max_score: float
    files_before: dict
    files_after: dict
    cells_before: list
    cells_after: list
    connections: list
    leftovers: list
    sandbox_roots: set
    memory: PeakMemory    # the grader's
    output_bytes: int     # autograded/ plus feedback/
    feedback_rc: int = 0
    students: list = field(default_factory=list)
    twin: dict | None = None  # backprop grade --workers 2 on the twin course


def gradebook_cells(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        rows = [("cell", *r) for r in conn.execute(
            "SELECT name, type FROM base_cell ORDER BY name, type")]
        rows += [("grade", *r) for r in conn.execute(
            "SELECT base_cell.name, max_score, cell_type FROM grade_cells "
            "JOIN base_cell ON base_cell.id = grade_cells.id ORDER BY base_cell.name")]
        rows += [("source", *r) for r in conn.execute(
            "SELECT name, checksum, locked, source FROM source_cell ORDER BY name")]
    return rows


def read_gradebook(db_url: str, students) -> tuple[dict, set, float]:
    from nbgrader.api import Gradebook, MissingEntry

    grades = {}
    with Gradebook(db_url) as gradebook:
        roster = {student.id for student in gradebook.students}
        for student in students:
            try:
                nb = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            except MissingEntry:
                grades[student] = None
                continue
            grades[student] = {
                grade.name: {"auto": grade.auto_score, "manual": grade.manual_score,
                             "needs_manual": grade.needs_manual_grade,
                             "max": float(grade.max_score)}
                for grade in nb.grades}
        max_score = float(gradebook.find_assignment(ASSIGNMENT).max_score)
    return grades, roster, max_score


def selected_cases(request) -> list:
    """The cases whose test_case items this session runs (all if none are selected)."""
    chosen = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        module = getattr(item, "module", None)
        if module is not None and module.__name__ == __name__ and callspec \
                and "case" in callspec.params:
            chosen.add(callspec.params["case"])
    return sorted(chosen) if chosen else list(CASES)


def inject_source_canary(course: Path, canary: str) -> None:
    path = course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cell = _kit.cell(nb, _kit.EX1_CELL)
    assert samples.BEGIN in cell.source
    cell.source = cell.source.replace(samples.BEGIN, f"{samples.BEGIN}\n    # {canary}", 1)
    nbformat.write(nb, str(path))


def watched(command, *, cwd, env, log_path, timeout) -> tuple[int, float, PeakMemory]:
    """Run a grader with its output in a file (as an instructor would redirect it);
    ``(exit code, seconds, its memory)``."""
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        memory = PeakMemory(process.pid)
        try:
            returncode = process.wait(timeout=timeout)
        finally:
            memory.stop()
    return returncode, time.monotonic() - started, memory


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def _build_class(course, cases, modules, ctx_args, solved_nb, release_nb) -> None:
    submitted = course / "submitted"
    for name in cases:
        ctx = _kit.Context(course=course, student=name, **ctx_args)
        built = modules[name].build(copy.deepcopy(solved_nb), copy.deepcopy(release_nb), ctx)
        write_submission(submitted / name / ASSIGNMENT, built, f"{NOTEBOOK}.ipynb")
    write_submission(submitted / CONTROL / ASSIGNMENT, copy.deepcopy(solved_nb),
                     f"{NOTEBOOK}.ipynb")
    other = submitted / BYSTANDER / "ps0"
    other.mkdir(parents=True)
    (other / "answer.txt").write_text("an unrelated student's work\n")
    nbformat.write(copy.deepcopy(release_nb), str(other / "answer.ipynb"))


def parallel_selected(request) -> bool:
    """Whether this session runs the parallel comparison (which needs the twin's run)."""
    return any(item.name == "test_parallel_grades_equal_the_sequential_ones"
               for item in request.session.items)


@pytest.fixture(scope="module")
def run(request, tmp_path_factory):
    if not sandbox_available():
        pytest.skip(f"the corpus needs the bubblewrap sandbox: {describe_sandbox()}")
    cases = selected_cases(request)
    modules = {name: load_case(name) for name in cases}
    token = secrets.token_hex(6)
    base = tmp_path_factory.mktemp("hostile")
    course = make_course(base / "course")
    twin = make_course(base / "twin") if parallel_selected(request) else None
    try:
        yield _grade(course, twin, cases, modules, token)
    finally:
        for folder in (course, twin):  # a case's folder is nested too deep for pytest's
            if folder is not None:      # own clean-up
                remove_tree(folder)


@dataclass
class Prepared:
    release_nb: object
    solved_nb: object
    db_url: str


def _prepare_course(course, students, token) -> Prepared:
    """Secrets with canaries, the release, and the roster (as a real course imports it),
    with a canary student in the gradebook. The solved base comes from the canary-free
    source."""
    source_nb = nbformat.read(str(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"), 4)
    reference = course / "solutions" / "reference.py"
    reference.write_text(reference.read_text() + f"\n# CANARY-REFERENCE-{token}\n")
    inject_source_canary(course, f"CANARY-SOURCE-{token}")
    nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course=course,
             env={"BACKPROP_DB_URL": ""})
    release_path = course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert token not in release_path.read_text(), "the canary leaked into the release"
    release_nb = nbformat.read(str(release_path), 4)
    from nbgrader.api import Gradebook

    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        for student in students + [f"canary_{token}"]:
            gradebook.update_or_create_student(student)
    return Prepared(release_nb, samples.solved(release_nb, source_nb), db_url)


def _start_twin(twin, env) -> dict:
    """``backprop grade --workers 2`` on the twin course, in the background."""
    log_path = twin.parent / "grade.log"  # kept, with autograde.log, for a look
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--workers", "2",
         "--force", "--course", str(twin)],
        cwd=twin, env=env, stdout=log, stderr=subprocess.STDOUT)
    return {"process": process, "log": log, "log_path": log_path, "course": twin,
            "memory": PeakMemory(process.pid), "started": time.monotonic()}


def _finish_twin(twin, students) -> dict:
    try:
        returncode = twin["process"].wait(timeout=2400)
    finally:
        twin["memory"].stop()
        twin["log"].close()
    seconds = time.monotonic() - twin["started"]
    grades, _, _ = read_gradebook(f"sqlite:///{twin['course'] / 'gradebook.db'}", students)
    memory = twin["memory"]
    each = ", ".join(mib(peak) for pid, peak in sorted(memory.processes.items())
                     if pid != memory.pid)
    print(f"\n[test_hostile] backprop grade --workers 2 graded {len(students)} students in "
          f"{seconds:.0f} s (exit {returncode}); peak memory: coordinator {mib(memory.main)} "
          f"(VmHWM), its worker processes {each} (largest VmRSS seen), all of them at once "
          f"{mib(memory.total)} (largest total Pss)")
    return {"returncode": returncode, "grades": grades, "memory": memory,
            "course": twin["course"],
            "log": twin["log_path"].read_text(encoding="utf-8", errors="replace")}


def _grade(course, twin_course, cases, modules, token) -> Run:
    students = cases + [CONTROL]
    prepared = _prepare_course(course, students, token)
    release_nb, solved_nb, db_url = prepared.release_nb, prepared.solved_nb, prepared.db_url
    if twin_course is not None:
        twin_prepared = _prepare_course(twin_course, students, token)
    secret_texts = [f"CANARY-REFERENCE-{token}", f"CANARY-SOURCE-{token}",
                    f"canary_{token}", "SQLite format 3",
                    "Reference solutions for the backpropagation unit"]

    tcp = Listener(socket.AF_INET, ("127.0.0.1", 0))
    abstract = f"hostile-test-{token}"
    unix = Listener(socket.AF_UNIX, "\0" + abstract)
    twin = twin_result = None
    env = tool_env()
    env.pop("BACKPROP_DB_URL", None)
    try:
        ctx_args = dict(port=tcp.address[1], abstract_socket=abstract, repo=find_course_root())
        _build_class(course, cases, modules, ctx_args, solved_nb, release_nb)
        files_before = file_digests(course / "submitted")
        cells_before = gradebook_cells(course / "gradebook.db")
        for folder in (course, twin_course):
            if folder is not None:
                with open(folder / "nbgrader_config.py", "a") as config:
                    config.write(TEST_CONFIG)
        if twin_course is not None:
            _build_class(twin_course, cases, modules, ctx_args, twin_prepared.solved_nb,
                         twin_prepared.release_nb)
            twin = _start_twin(twin_course, env)
        log_path = course.parent / "autograde.log"
        returncode, seconds, memory = watched(
            [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
            cwd=course, env=env, log_path=log_path, timeout=2400)
        if twin is not None:
            twin_result = _finish_twin(twin, students)
        time.sleep(1)  # let the listeners see late connections
    finally:
        if twin is not None and twin["process"].poll() is None:  # the sequential run failed
            twin["process"].kill()
            twin["process"].wait()
            twin["memory"].stop()
            twin["log"].close()
        tcp.stop()
        unix.stop()

    feedback_rc = nbgrader(["generate_feedback", ASSIGNMENT, "--force"], course=course,
                           check=False, env={"BACKPROP_DB_URL": ""}).returncode
    output_bytes = folder_bytes(course / "autograded") + folder_bytes(course / "feedback")
    log_bytes = log_path.stat().st_size
    with open(log_path, "rb") as handle:
        log_text = handle.read(8 * 2**20).decode("utf-8", "replace")
    grades, roster, max_score = read_gradebook(db_url, students)
    roots = set(SANDBOX_ROOT.findall(log_text))
    deadline = time.monotonic() + 10  # killed sandboxes may take a moment to go
    while sandbox_processes(roots) and time.monotonic() < deadline:
        time.sleep(0.5)
    print(f"\n[test_hostile] nbgrader autograde graded {len(students)} students in "
          f"{seconds:.0f} s (exit {returncode}); log {log_bytes} bytes at {log_path}; "
          f"grader peak memory {mib(memory.main)}; autograded/ plus "
          f"feedback/ {output_bytes / 10**6:.1f} MB")
    return Run(course=course, cases=cases, modules=modules, secrets=secret_texts,
               returncode=returncode, log=log_text, log_bytes=log_bytes,
               seconds=seconds, grades=grades, roster=roster, max_score=max_score,
               files_before=files_before, files_after=file_digests(course / "submitted"),
               cells_before=cells_before, cells_after=gradebook_cells(course / "gradebook.db"),
               connections=tcp.connections + unix.connections,
               leftovers=sandbox_processes(roots) + ([] if roots else ["no sandbox in the log"]),
               sandbox_roots=roots, memory=memory, output_bytes=output_bytes,
               feedback_rc=feedback_rc, students=students, twin=twin_result)


# -- reading the graded notebook ----------------------------------------------------------
def graded_dir(run: Run, student: str) -> Path:
    return run.course / "autograded" / student / ASSIGNMENT


def feedback_dir(run: Run, student: str) -> Path:
    return run.course / "feedback" / student / ASSIGNMENT


def output_text(output) -> str:
    import json

    parts = [output.get("text", "")]
    for value in (output.get("data") or {}).values():
        parts.append(value if isinstance(value, str) else json.dumps(value))
    parts += [output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])]
    return "\n".join(str(part) for part in parts)


def outputs(nb, grade_cells: bool) -> str:
    """The text of every output of the grade cells (True) or of all other cells (False)."""
    texts = []
    for cell in nb.cells:
        is_grade = bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))
        if cell.cell_type == "code" and is_grade == grade_cells:
            texts += [output_text(output) for output in cell.get("outputs", [])]
    return "\n".join(texts)


def not_graded(module) -> bool:
    """A case without any submission in the gradebook: no notebook, or refused."""
    return bool(module.EXPECT.get("missing") or module.EXPECT.get("refused"))


# -- one test per case ------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_case(run, case):
    if case not in run.modules:
        pytest.skip("not in this session's class")
    module = run.modules[case]
    expect = module.EXPECT
    assert module.__doc__ and module.ATTACK, "a case states its attack and expected score"
    expected = expect["scores"]
    assert set(expected) == {item.grade_id for item in ITEMS}
    folder = graded_dir(run, case)

    if not_graded(module):
        assert case in run.roster
        assert run.grades[case] is None, "a submission that is not one was graded"
        assert not (folder / f"{NOTEBOOK}.ipynb").exists()
        assert sum(expected.values()) == 0
        if expect.get("missing"):
            assert f"submitted/{case}/{ASSIGNMENT}/*.ipynb" in run.log
        else:
            assert expect["refused"] in run.log, f"{case}: the refusal is not in the log"
        return

    grades = run.grades[case]
    assert grades is not None, f"{case}: no submission in the gradebook"
    assert set(grades) == set(expected), f"{case}: unexpected grade cells {sorted(grades)}"
    blank = [gid for gid, g in grades.items() if g["auto"] is None or g["needs_manual"]]
    assert not blank, f"{case}: blank or manual grades on {blank}"
    got = {gid: float(g["auto"]) for gid, g in grades.items()}
    assert got == pytest.approx(expected), f"{case}: scores differ"
    assert {item.grade_id: float(item.points) for item in ITEMS} == {
        gid: g["max"] for gid, g in grades.items()}, f"{case}: the points changed"

    nb_path = folder / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(str(nb_path), as_version=4)
    results = (folder / "backprop-results.json").read_text(encoding="utf-8")
    if "message" in expect:
        feedback_text = (outputs(nb, grade_cells=True) + results).lower()
        assert expect["message"].lower() in feedback_text, f"{case}: message missing"
    student_out = outputs(nb, grade_cells=False)
    for text in expect.get("present", []):
        options = text if isinstance(text, tuple) else (text,)
        assert any(option in student_out for option in options), \
            f"{case}: the attack did not run ({text!r} not printed)"
    for text in expect.get("absent", []):
        assert text not in student_out, f"{case}: {text!r} appeared"
    if expect.get("nowhere"):
        for place in (folder, feedback_dir(run, case)):
            assert not secrets_in(place, expect["nowhere"]), f"{case}: found in {place}"
    if "max_notebook_bytes" in expect:
        assert nb_path.stat().st_size <= expect["max_notebook_bytes"]
    for name in expect.get("no_files", []):
        assert not os.path.lexists(folder / name), f"{case}: {name} was copied for grading"
        assert not os.path.lexists(feedback_dir(run, case) / name)
    assert not secrets_in(folder, run.secrets)
    html = feedback_dir(run, case) / f"{NOTEBOOK}.html"
    assert html.is_file(), f"{case}: no feedback was generated"
    assert not secrets_in(html.parent, run.secrets)
    page = html.read_text(encoding="utf-8", errors="replace")
    for text in expect.get("feedback_absent", []):
        assert text not in page, f"{case}: {text!r} is in the feedback page"


# -- the class as a whole --------------------------------------------------------------------
@pytest.mark.slow
def test_every_submission_graded(run):
    """Everyone is graded but the students nbgrader refuses, and only they fail."""
    refused = {name for name, module in run.modules.items() if module.EXPECT.get("refused")}
    failed = set(re.findall(r"There was an error processing assignment '[^']*' for student "
                            r"'([^']*)'", run.log))
    assert failed == refused, "nbgrader autograde failed a submission:\n" + "\n".join(
        line for line in run.log.splitlines() if "ERROR" in line)
    assert run.returncode == (1 if refused else 0)
    for student in run.cases + [CONTROL]:
        if student in run.modules and not_graded(run.modules[student]):
            continue
        assert (graded_dir(run, student) / f"{NOTEBOOK}.ipynb").is_file(), student
        grades = run.grades[student]
        assert grades and all(g["auto"] is not None for g in grades.values()), student


@pytest.mark.slow
def test_control_student_earns_26(run):
    grades = run.grades[CONTROL]
    assert sum(g["auto"] for g in grades.values()) == TOTAL_POINTS == 26
    assert run.max_score == TOTAL_POINTS


@pytest.mark.slow
def test_submitted_files_untouched(run):
    """No submission (the bystander's and the control's included) changed, and
    nothing was added to any student's folder."""
    assert run.files_after == run.files_before


@pytest.mark.slow
def test_gradebook_cells_untouched(run):
    assert run.cells_after == run.cells_before


@pytest.mark.slow
def test_no_secret_anywhere(run):
    leaks = secrets_in(run.course / "autograded", run.secrets)
    leaks += secrets_in(run.course / "feedback", run.secrets)
    assert not leaks


@pytest.mark.slow
def test_feedback_generated(run):
    assert run.feedback_rc == 0


@pytest.mark.slow
def test_no_connection_reached_the_listeners(run):
    assert run.connections == []


@pytest.mark.slow
def test_no_sandbox_process_folder_or_group_left(run):
    assert run.leftovers == []
    assert [root for root in run.sandbox_roots if os.path.lexists(root)] == []
    hierarchy = cpu_share.usable_hierarchy()
    if hierarchy is not None:
        groups = {os.path.join(hierarchy[1], os.path.basename(r)) for r in run.sandbox_roots}
        assert [group for group in groups if os.path.exists(group)] == []


@pytest.mark.slow
def test_grader_log_stays_small(run):
    assert run.log_bytes < 4 * 2**20, f"the grader's log has {run.log_bytes} bytes"
    for marker in ("FDFLOOD", "FLOODLINE", "SHADOW-", "INTERRUPT-SWALLOWED"):
        assert marker not in run.log


@pytest.mark.slow
def test_grader_memory_and_output_stay_bounded(run):
    """The grader process's peak memory, and what grading writes for the whole class."""
    peak = run.memory.main
    assert peak > 0, "the grader's memory was never sampled"
    print(f"\n[test_hostile] sequential grader peak memory {mib(peak)} (VmHWM); autograded/ "
          f"plus feedback/ {run.output_bytes / 10**6:.1f} MB for {len(run.students)} students")
    assert peak < MAX_GRADER_RSS, f"the grader peaked at {mib(peak)}"
    assert run.memory.total < MAX_GRADER_RSS
    assert run.output_bytes < MAX_OUTPUT_BYTES


# -- the same class, graded in parallel (its twin, while nbgrader grades this one) ---------
@pytest.fixture(scope="module")
def parallel(run):
    assert run.twin is not None, "the twin course was not graded"
    return run.twin


@pytest.mark.slow
def test_parallel_grades_equal_the_sequential_ones(run, parallel):
    refused = {name for name, module in run.modules.items() if module.EXPECT.get("refused")}
    assert parallel["returncode"] == (1 if refused else 0), parallel["log"][-3000:]
    for student in refused:
        assert f"  {student}: " in parallel["log"], f"{student} is not listed as failed"

    def scores(grades):
        return {student: None if rows is None else {gid: row["auto"] for gid, row in rows.items()}
                for student, rows in grades.items()}

    assert scores(parallel["grades"]) == scores(run.grades)
    graded = parallel["course"] / "autograded"
    assert graded.is_dir()
    assert not secrets_in(graded, run.secrets)
    memory = parallel["memory"]
    assert memory.main < MAX_GRADER_RSS and memory.total < MAX_GRADER_RSS
    assert max(memory.processes.values()) < MAX_GRADER_RSS
