"""The hostile corpus (``tests/hostile/``), graded by plain ``nbgrader autograde``.

One temporary course, one ``nbgrader generate_assignment``, one student per
case plus ``control_perfect`` (the solved notebook) and an unrelated
``bystander`` folder, then ONE ``nbgrader autograde backprop`` for the whole
class with the course's own ``nbgrader_config.py`` (and short time limits
appended). Each case is then checked on its own (``test_case[...]``): the
scores it must get, every grade filled in automatically, the message it must
show, what its attack printed or must not have printed; and the class as a
whole: nbgrader succeeded for everyone, the control student has 26, nobody
else's files or the gradebook's cells changed, no secret reached any
autograded notebook or feedback, no connection reached the test's listeners,
no sandbox process outlived the run and the grader's log stayed small.

The course's secrets carry canaries: a comment in ``solutions/reference.py``,
a comment in the source notebook's solution, a student id in the gradebook
(besides the gradebook's "SQLite format 3" header). Run a few cases only with
``-k``, e.g. ``pytest tests/test_hostile.py -k "os_exit or network"``: the
class is then just those cases and the control.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import ASSIGNMENT, ITEMS, NOTEBOOK, TOTAL_POINTS
from autograder.demo import samples
from autograder.sandbox.probe import describe_sandbox, sandbox_available
from autograder.workspace.folder import (
    find_course_root,
    make_course,
    nbgrader,
    tool_env,
)
from tests.support import HOSTILE_DIR

HOSTILE = HOSTILE_DIR
sys.path.insert(0, str(HOSTILE))
import _kit  # noqa: E402  (the corpus's helpers, from tests/hostile/)

CASES = sorted(path.stem for path in HOSTILE.glob("*.py") if not path.name.startswith("_"))
CONTROL = "control_perfect"
BYSTANDER = "bystander"
SANDBOX_ROOT = re.compile(r"work folder (/\S+)/work")

#: Appended to the course's nbgrader_config.py: short limits, sandbox required.
TEST_CONFIG = """

# -- tests/test_hostile.py: shorter limits so that the whole corpus grades quickly --
# (training takes about 5 s on an idle machine; 30 s leaves room for a loaded one)
c.GuardedExecute.timeout = 30
c.GuardedExecute.submission_timeout = 90
c.GuardedExecute.harvest_timeout = 20
c.SandboxedKernelManager.require_sandbox = True
c.Application.log_format = "%(asctime)s [%(name)s | %(levelname)s] %(message)s"
c.Application.log_datefmt = "%H:%M:%S"
"""

def load_case(name: str):
    spec = importlib.util.spec_from_file_location(f"hostile_{name}", HOSTILE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- listeners the network case aims at ------------------------------------------------
class Listener:
    """Accepts (and records) connections on a socket until stopped."""

    def __init__(self, family, address):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind(address)
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.address = self.sock.getsockname()
        self.connections = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections.append(peer)
            conn.close()

    def stop(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


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
    feedback_rc: int = 0


def file_digests(root: Path) -> dict:
    """{relative path: sha256 or 'link -> target'} of everything below root."""
    out = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = "link -> " + os.readlink(path)
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


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


def sandbox_processes(roots) -> list:
    """Live processes of this run's sandboxes (their command lines name the sandbox
    folder; forked children inherit it). Other graders on the machine are ignored."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if any(root in cmdline for root in roots):
            found.append(f"{pid}: {cmdline[:160]}")
    return found


def write_submission(folder: Path, built) -> None:
    notebook, extra = built if isinstance(built, tuple) else (built, {})
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{NOTEBOOK}.ipynb"
    if isinstance(notebook, (bytes, bytearray)):
        target.write_bytes(bytes(notebook))
    elif notebook is not None:
        nbformat.write(notebook, str(target))
    for name, content in extra.items():
        path = folder / name
        if isinstance(content, _kit.Symlink):
            os.symlink(content.target, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


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


@pytest.fixture(scope="module")
def run(request, tmp_path_factory) -> Run:
    if not sandbox_available():
        pytest.skip(f"the corpus needs the bubblewrap sandbox: {describe_sandbox()}")
    cases = selected_cases(request)
    modules = {name: load_case(name) for name in cases}
    token = secrets.token_hex(6)
    course = make_course(tmp_path_factory.mktemp("hostile") / "course")
    template = find_course_root()

    # Secrets with canaries. The solved base comes from the canary-free source.
    source_nb = nbformat.read(str(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"), 4)
    reference = course / "solutions" / "reference.py"
    reference.write_text(reference.read_text() + f"\n# CANARY-REFERENCE-{token}\n")
    inject_source_canary(course, f"CANARY-SOURCE-{token}")
    nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course=course,
             env={"BACKPROP_DB_URL": ""})
    release_path = course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert token not in release_path.read_text(), "the canary leaked into the release"
    release_nb = nbformat.read(str(release_path), 4)
    solved_nb = samples.solved(release_nb, source_nb)
    secret_texts = [f"CANARY-REFERENCE-{token}", f"CANARY-SOURCE-{token}",
                    f"canary_{token}", "SQLite format 3",
                    "Reference solutions for the backpropagation unit"]

    # The roster (as a real course imports it), with a canary student in the gradebook.
    from nbgrader.api import Gradebook

    db_url = f"sqlite:///{course / 'gradebook.db'}"
    students = cases + [CONTROL]
    with Gradebook(db_url) as gradebook:
        for student in students + [f"canary_{token}"]:
            gradebook.update_or_create_student(student)

    tcp = Listener(socket.AF_INET, ("127.0.0.1", 0))
    abstract = f"hostile-test-{token}"
    unix = Listener(socket.AF_UNIX, "\0" + abstract)
    try:
        submitted = course / "submitted"
        for name in cases:
            ctx = _kit.Context(course=course, student=name, port=tcp.address[1],
                               abstract_socket=abstract, repo=template)
            built = modules[name].build(copy.deepcopy(solved_nb), copy.deepcopy(release_nb), ctx)
            write_submission(submitted / name / ASSIGNMENT, built)
        write_submission(submitted / CONTROL / ASSIGNMENT, copy.deepcopy(solved_nb))
        other = submitted / BYSTANDER / "ps0"
        other.mkdir(parents=True)
        (other / "answer.txt").write_text("an unrelated student's work\n")
        nbformat.write(copy.deepcopy(release_nb), str(other / "answer.ipynb"))

        files_before = file_digests(submitted)
        cells_before = gradebook_cells(course / "gradebook.db")
        with open(course / "nbgrader_config.py", "a") as config:
            config.write(TEST_CONFIG)

        env = tool_env()
        env.pop("BACKPROP_DB_URL", None)
        log_path = course.parent / "autograde.log"
        started = time.monotonic()
        with open(log_path, "wb") as log:  # a file, as an instructor would redirect it
            result = subprocess.run(
                [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
                cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=1800)
        seconds = time.monotonic() - started
        time.sleep(1)  # let the listeners see late connections
    finally:
        tcp.stop()
        unix.stop()

    feedback = [name for name in cases if modules[name].EXPECT.get("feedback")]
    assert all(name.startswith("read_") for name in feedback), "feedback cases are read_*"
    feedback_rc = 0
    if feedback:
        feedback_rc = nbgrader(["generate_feedback", ASSIGNMENT, "--force",
                                "--CourseDirectory.student_id=read_*"],
                               course=course, check=False, env={"BACKPROP_DB_URL": ""}).returncode

    log_bytes = log_path.stat().st_size
    with open(log_path, "rb") as handle:
        log_text = handle.read(8 * 2**20).decode("utf-8", "replace")
    grades, roster, max_score = read_gradebook(db_url, students)
    roots = set(SANDBOX_ROOT.findall(log_text))
    deadline = time.monotonic() + 10  # killed sandboxes may take a moment to go
    while sandbox_processes(roots) and time.monotonic() < deadline:
        time.sleep(0.5)
    print(f"\n[test_hostile] nbgrader autograde graded {len(students)} students in "
          f"{seconds:.0f} s (exit {result.returncode}); log {log_bytes} bytes at {log_path}")
    return Run(course=course, cases=cases, modules=modules, secrets=secret_texts,
               returncode=result.returncode, log=log_text, log_bytes=log_bytes,
               seconds=seconds, grades=grades, roster=roster, max_score=max_score,
               files_before=files_before, files_after=file_digests(submitted),
               cells_before=cells_before, cells_after=gradebook_cells(course / "gradebook.db"),
               connections=tcp.connections + unix.connections,
               leftovers=sandbox_processes(roots) + ([] if roots else ["no sandbox in the log"]),
               feedback_rc=feedback_rc)


# -- reading the graded notebook ----------------------------------------------------------
def graded_dir(run: Run, student: str) -> Path:
    return run.course / "autograded" / student / ASSIGNMENT


def output_text(output) -> str:
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


def secrets_in(root: Path, secret_texts) -> list:
    found = []
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                found.append(f"{path} is a symbolic link")
                continue
            data = path.read_bytes()
            found += [f"{text!r} in {path}" for text in secret_texts if text.encode() in data]
    return found


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

    if expect.get("missing"):
        assert case in run.roster
        assert run.grades[case] is None, "a submission without a notebook was graded"
        assert not (folder / f"{NOTEBOOK}.ipynb").exists()
        assert f"submitted/{case}/{ASSIGNMENT}/*.ipynb" in run.log
        assert sum(expected.values()) == 0
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
        assert text in student_out, f"{case}: the attack did not run ({text!r} not printed)"
    for text in expect.get("absent", []):
        assert text not in student_out, f"{case}: {text!r} appeared"
    if "max_notebook_bytes" in expect:
        assert nb_path.stat().st_size <= expect["max_notebook_bytes"]
    for name in expect.get("no_files", []):
        assert not (folder / name).exists(), f"{case}: {name} was copied for grading"
        assert not (run.course / "feedback" / case / ASSIGNMENT / name).exists()
    assert not secrets_in(folder, run.secrets)
    if expect.get("feedback"):
        html = run.course / "feedback" / case / ASSIGNMENT / f"{NOTEBOOK}.html"
        assert html.is_file(), f"{case}: no feedback was generated"
        assert not secrets_in(html.parent, run.secrets)
        page = html.read_text(encoding="utf-8", errors="replace")
        for text in expect.get("feedback_absent", []):
            assert text not in page, f"{case}: {text!r} is in the feedback page"


# -- the class as a whole --------------------------------------------------------------------
@pytest.mark.slow
def test_every_submission_graded(run):
    assert run.returncode == 0, "nbgrader autograde reported a failed submission:\n" + "\n".join(
        line for line in run.log.splitlines() if "ERROR" in line)
    for student in run.cases + [CONTROL]:
        if run.modules.get(student) and run.modules[student].EXPECT.get("missing"):
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
    if (run.course / "feedback").exists():
        leaks += secrets_in(run.course / "feedback", run.secrets)
    assert not leaks


@pytest.mark.slow
def test_feedback_generated(run):
    assert run.feedback_rc == 0


@pytest.mark.slow
def test_no_connection_reached_the_listeners(run):
    assert run.connections == []


@pytest.mark.slow
def test_no_sandbox_process_left(run):
    assert run.leftovers == []


@pytest.mark.slow
def test_grader_log_stays_small(run):
    assert run.log_bytes < 4 * 2**20, f"the grader's log has {run.log_bytes} bytes"
    for marker in ("FDFLOOD", "FLOODLINE", "SHADOW-", "INTERRUPT-SWALLOWED"):
        assert marker not in run.log
