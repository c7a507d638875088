"""`backprop check`, the notebook's own check cells and the grader give the same score.

The grader's scores come from two places. The sample class is graded here, by
one ``nbgrader autograde`` on a temporary course. The hostile corpus
(``tests/hostile/``) is graded by ``tests/pipeline/test_hostile.py``, which
asserts that the grader gives each case exactly its ``EXPECT["scores"]``; this
test takes those scores rather than grade the corpus a second time. Then, for
every submission:

* ``backprop check --json`` runs on a copy of the submission folder;
* the submitted notebook runs as the student runs it (the check cells active,
  nothing restored), in the sandbox, and its check cells' outputs are read back;

and the three are compared item by item. The notebook's own check cells run
in the student's process, so a submission that attacks them, or that changes
the cells the grader restores, can make them say anything: those cases are
listed in ``NOTEBOOK_CANNOT_TELL`` with the reason, and compared through
``backprop check`` only. The messages the sample class gets from the grader
and from ``backprop check`` are kept in ``golden/sample_class.json``
(``BACKPROP_UPDATE_GOLDEN=1`` rewrites it; review the diff).
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import ASSIGNMENT, ITEMS, NOTEBOOK
from autograder.demo import samples
from autograder.demo.sample_class import make_release
from autograder.safe_trees import remove_tree
from autograder.sandbox.probe import sandbox_available
from autograder.workspace.folder import nbgrader, read_grades
from tests.support import GOLDEN_DIR, HOSTILE_DIR

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sandbox_available(), reason="needs bubblewrap")]

SEED = 20261126
GOLDEN = GOLDEN_DIR / "sample_class.json"
IDS = [item.grade_id for item in ITEMS]
LIMITS = """
c.GuardedExecute.timeout = 30
c.GuardedExecute.submission_timeout = 90
c.GuardedExecute.harvest_timeout = 20
"""
#: Submissions whose own check cells cannot agree with the grader, and why.
NOTEBOOK_CANNOT_TELL = {
    "custom_exception_handler": "it replaces the notebook's error display",
    "exception_message_leak": "its last cell redefines the functions after the check cells "
                              "ran the real ones",
    "oracle_by_path": "a student's own kernel has the whole package, oracle included; only a "
                      "grading kernel is given the student side alone",
    "oracle_import": "a student's own kernel has the whole package, oracle included; only a "
                     "grading kernel is given the student side alone",
    "oracle_via_selfcheck": "a student's own kernel has the whole package, oracle included; "
                            "only a grading kernel is given the student side alone",
    "delete_check_cells": "a deleted check cell prints nothing",
    "fake_verdict_display": "it displays forged verdicts",
    "fake_verdict_print": "it prints forged verdicts",
    "fabricated_full_run": "its check cells judge the weights and losses it made up, which "
                           "only the grader's own call of train_nn shows to be forged",
    "huge_integer": "it forges the grader's result file, which the check cells never read",
    "input_transformer": "it rewrites the check cells before they run",
    "made_up_losses": "its check cells judge the losses it made up, which only the grader's "
                      "own call of train_nn shows to be forged",
    "made_up_losses_real_weights": "its check cells judge the losses it made up, which only "
                                   "the grader's own call of train_nn shows to be forged",
    "search_test_split_globals": "it replaces the training's results in the globals after "
                                 "the locked training cell",
    "lone_surrogate": "Jupyter cannot send its cells to a kernel: they are not valid UTF-8",
    "monkeypatch_autograder": "it replaces the self-check's functions",
    "monkeypatch_builtins": "it patches the builtins the self-check uses",
    "monkeypatch_numpy": "it patches the numpy the self-check uses",
    "reorder_check_cells": "its check cells run before the training they judge",
    "shadow_autograder": "its own autograder module stands in for the self-check",
    "tamper_check_cells": "one check cell is replaced by `pass`",
    "tamper_locked_cell": "its edited locked cell runs in the student's kernel",
    "forged_payload": "it forges the grader's result file, which only the grader reads",
    "unreadable_not_a_notebook": "Jupyter opens a file the grader refuses as invalid",
    "unreadable_too_large": "Jupyter opens a file the grader refuses as too large",
    "symlink_notebook": "Jupyter follows the link the grader refuses",
}
#: Cases with no notebook to run (``EXPECT["missing"]``): the grader has nothing, the
#: check says so.
NO_NOTEBOOK = set()
#: Cases the grader refuses before it grades them (``EXPECT["refused"]``), for a file that
#: only nbgrader's exchange writes (a student's own folder has none for the check to judge).
GRADER_REFUSES = set()
RESULT = re.compile(r"^\[(?:PASS|PART|FAIL)\] (\w+): ([\d.]+)/([\d.]+)", re.MULTILINE)


def _load_case(name):
    spec = importlib.util.spec_from_file_location(f"parity_{name}", HOSTILE_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hostile_cases():
    sys.path.insert(0, str(HOSTILE_DIR))
    import _kit  # noqa: F401  (the corpus's helpers)

    names = sorted(p.stem for p in HOSTILE_DIR.glob("*.py") if not p.name.startswith("_"))
    return {name: _load_case(name) for name in names}


def _write(folder: Path, built) -> None:
    notebook, extra = built if isinstance(built, tuple) else (built, {})
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{NOTEBOOK}.ipynb"
    if isinstance(notebook, bytes):
        target.write_bytes(notebook)
    elif notebook is not None:
        nbformat.write(notebook, str(target))
    for name, content in extra.items():
        path = folder / os.fsdecode(name)  # a name may be bytes that are not UTF-8
        if hasattr(content, "make"):  # a link, a sparse file, a FIFO, a deep folder ...
            content.make(path)
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())


def _check(folder: Path) -> dict:
    """``backprop check --json`` as a student runs it: the console command, in their folder
    (``python -m`` would put the folder, and a student's ``autograder.py``, on the path)."""
    command = [str(Path(sys.executable).parent / "backprop"), "check", f"{NOTEBOOK}.ipynb",
               "--json", "--timeout", "150"]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=400)
    assert result.stdout.strip(), result.stderr[-2000:]
    return json.loads(result.stdout)


def _own_cells(folder: Path, public: Path) -> dict:
    """The notebook run as its student runs it: the check cells' printed scores."""
    from traitlets.config import Config

    from autograder.constants import PACKAGE_DIR
    from autograder.grading.check import time_limits

    path = folder / f"{NOTEBOOK}.ipynb"
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - unreadable cases have no check cells to run
        return {}
    config = Config()
    config.SandboxedKernelManager.public_dir = str(public)
    config.SandboxedKernelManager.extra_ro_paths = [str(PACKAGE_DIR)]
    # a student's own kernel has the whole package (the grader's sees only its student side)
    config.SandboxedKernelManager.package_dir = ""
    executor = StudentRun(config=config, harvest_spec=HARVEST_SPEC, **time_limits(200))
    executed, _ = executor.preprocess(notebook, {"metadata": {"path": str(public)}})
    scores = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "") or output.get("text", "")
            for grade_id, score, _ in RESULT.findall(str(text)):
                scores[grade_id] = float(score)
    return scores


def _student_run_class():
    from autograder.pipeline.guarded_execute import GuardedExecute

    class Run(GuardedExecute):
        """GuardedExecute without the grading switch: the check cells do their work."""

        def _run_hidden(self, code, timeout):
            if "BACKPROP_GRADING" in code:
                code = "pass"
            return super()._run_hidden(code, timeout)

    return Run


StudentRun = None
HARVEST_SPEC = None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, release_nb, source_nb):
    global StudentRun, HARVEST_SPEC
    from autograder.core.expectations import OracleExpectations
    from autograder.plan.course_data import load_course_data
    from autograder.plan.plan import build_plan

    base = tmp_path_factory.mktemp("parity")
    course = make_release(base / "course", seed=SEED)
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(LIMITS)
    solved = samples.solved(release_nb, source_nb)
    built = {sample.name: samples.build(sample, release_nb, source_nb)
             for sample in samples.SAMPLES}
    for name, submission in built.items():
        _write(course / "submitted" / name / ASSIGNMENT, submission)
    run = nbgrader(["autograde", ASSIGNMENT], course=course, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    grader = read_grades(course)
    assert set(grader) == set(built), sorted(grader)

    cases = _hostile_cases()
    import _kit  # on the path once the cases are loaded

    for name, case in cases.items():
        ctx = _kit.Context(course=course, student=name, port=9, abstract_socket="parity",
                           repo=Path(__file__).resolve().parents[2])
        _write(base / "hostile" / name, case.build(solved, release_nb, ctx))
        if case.EXPECT.get("missing"):
            NO_NOTEBOOK.add(name)
        elif case.EXPECT.get("refused"):
            GRADER_REFUSES.add(name)
        else:  # what tests/pipeline/test_hostile.py proves the grader gives it
            grader[name] = {gid: float(score) for gid, score in case.EXPECT["scores"].items()}

    public = course / "release" / ASSIGNMENT
    StudentRun = _student_run_class()
    HARVEST_SPEC = build_plan(OracleExpectations(), load_course_data(public),
                              seed=SEED).harvest_spec()

    def both(name):
        folder = base / "students" / name
        folder.parent.mkdir(parents=True, exist_ok=True)
        # cp keeps links, FIFOs and sparse files as they are; it stops only below a folder
        # nested past the longest path, which no check reads (so its status is not checked)
        source = base / "hostile" / name if name in cases \
            else course / "submitted" / name / ASSIGNMENT
        subprocess.run(["cp", "-a", str(source), str(folder)], capture_output=True, timeout=300)
        if name in NO_NOTEBOOK:
            return name, {}, {}
        own = {} if name in NOTEBOOK_CANNOT_TELL else _own_cells(folder, public)
        return name, _check(folder), own

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(both, sorted([*built, *cases]))
        runs = {name: (check, own) for name, check, own in done}
    yield grader, runs, course
    remove_tree(base)  # some cases nest folders too deep for pytest's own clean-up


def test_the_check_gives_every_item_the_graders_score(corpus):
    grader, runs, _ = corpus
    differ = {}
    for name, (check, _) in runs.items():
        if name in NO_NOTEBOOK or name in GRADER_REFUSES:
            assert name not in grader or not any(grader[name].values())
            continue
        got = {item["grade_id"]: item["score"] for item in check.get("items", [])}
        want = grader.get(name, {})
        if got != want:
            differ[name] = {gid: (got.get(gid), want.get(gid)) for gid in IDS
                            if got.get(gid) != want.get(gid)}
    assert not differ, f"backprop check and the grader differ (check, grader): {differ}"


def test_the_notebooks_own_check_cells_give_the_graders_score(corpus):
    grader, runs, _ = corpus
    differ = {}
    for name, (_, own) in runs.items():
        if name in NOTEBOOK_CANNOT_TELL or name in NO_NOTEBOOK or name in GRADER_REFUSES \
                or not own:
            continue
        want = grader.get(name, {})
        wrong = {gid: (score, want.get(gid)) for gid, score in own.items()
                 if score != want.get(gid)}
        if wrong:
            differ[name] = wrong
    assert not differ, f"check cells and the grader differ (cells, grader): {differ}"
    ran = [name for name, (_, own) in runs.items() if own]
    assert "perfect" in ran and "sign_error" in ran and len(ran) >= 10, ran


def test_the_sample_class_messages_match_the_golden_file(corpus, tmp_path):
    """Every message the sample class gets, from the grader and from `backprop check`."""
    from autograder.grading.check import check_notebook

    _, _, course = corpus
    table = {}
    for sample in samples.SAMPLES:
        folder = tmp_path / sample.name
        folder.mkdir()
        nbformat.write(samples.build(sample, *_release_and_source()), str(folder / "x.ipynb"))
        graded, _ = check_notebook(folder / "x.ipynb", seed=SEED)
        results = course / "autograded" / sample.name / ASSIGNMENT / "backprop-results.json"
        from autograder.core.results import GradedSubmission

        by_grader = GradedSubmission.from_json(json.loads(results.read_text(encoding="utf-8")))
        table[sample.name] = {"grader": [_texts(r) for r in by_grader.items],
                              "check": [_texts(r) for r in graded.items]}
    if os.environ.get("BACKPROP_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == table


def _release_and_source():
    from tests.support import RELEASE_DIR, SOURCE_DIR

    return (nbformat.read(str(RELEASE_DIR / f"{NOTEBOOK}.ipynb"), 4),
            nbformat.read(str(SOURCE_DIR / f"{NOTEBOOK}.ipynb"), 4))


def _texts(result) -> dict:
    return {"grade_id": result.grade_id, "score": result.score, "status": result.status.value,
            "message": result.message, "hint": result.hint, "diagnosis": result.diagnosis}
