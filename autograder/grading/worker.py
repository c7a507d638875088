"""The worker's half of a grading run: one submission, from its files to its record.

A worker gets a :class:`~.tasks.Task` (the submission's files, read by the
coordinator without following links) and the run's kit and plan (sent once,
:mod:`.shared`), and runs nbgrader's own per-student work on its private copy
of the course (:mod:`.worker_session`):

1. nbgrader's per-student start and sanitize pass (the student and submission
   rows in the gradebook replica, the safe reading of the notebook, the cells
   restored from the gradebook);
2. the course's ``GuardedExecute`` in the sandbox, with a kernel started
   while the previous submission ran;
3. nbgrader's autograde pass with that execution replayed: the verdicts,
   diagnosis, messages and loss plot (``ApplyVerdicts``), ``SaveAutoGrades``
   and the late penalties, into the replica;
4. in a run with feedback (``backprop grade --feedback``), nbgrader's
   ``generate_feedback`` pass for this student, reading the grades just written
   to the replica: the feedback folder, as that command would write it now.

It returns a :class:`~.records.GradedRecord`: the rows nbgrader wrote, the
autograded folder's files and the feedback folder's. The student's code runs
only in the sandbox; the worker (an instructor's process) never sees
``solutions/`` or the real gradebook. A worker can be a local process or a Dask worker on another machine.

Languages: everything the student reads (the execution's events, the verdicts,
the feedback) is written in the language of the submission's assignment
(:func:`~autograder.core.course.assignment_language`), set around steps 1-3 of
each submission; why a submission failed to grade, which the instructor reads,
in the coordinator's language (the kit's ``language``). Nothing sets a language
for the worker process itself.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import resource
import shutil
import socket
import sys
import time
from pathlib import Path

import nbformat

from .. import i18n
from ..core.course import assignment_language
from ..i18n import N_, _
from ..plan.execution import Execution
from ..safe_files import read_tree
from . import replica
from .kernel_usage import KernelUsage
from .outcome import NO_FEEDBACK, describe_error
from .records import GradedRecord
from .tasks import Task
from .worker_session import sessions

#: The most bytes of an autograded folder sent back.
MAX_RESULT_BYTES = 512 * 2**20
#: Seconds a submission may wait for the plan beyond its own time budget.
PLAN_SLACK = 120
#: Why a submission failed to grade, by the step it failed in.
STAGES = {
    "sanitize": N_("nbgrader could not sanitize it: {error}"),
    "execute": N_("the worker could not execute it: {error}"),
    "grade": N_("nbgrader could not grade it: {error}"),
}


class SandboxRefused(RuntimeError):
    """This worker cannot run student code in the sandbox and was told to insist.

    ``problem`` is :func:`~autograder.sandbox.probe.probe_sandbox`'s; the text is
    said where it is read (the coordinator), in its language."""

    def __init__(self, worker, problem):
        super().__init__(worker, problem)
        self.worker, self.problem = worker, problem

    def __str__(self) -> str:
        from ..sandbox.probe import problem_text

        return _("worker {worker} refuses to run student code without the sandbox: "
                 "{problem}").format(worker=self.worker, problem=problem_text(self.problem))


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def worker_peak_rss() -> int:
    """Peak resident memory (bytes) of this process."""
    scale = 1 if os.uname().sysname == "Darwin" else 1024  # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def worker_name() -> str:
    """This worker: its Dask address, or host and pid.

    A Dask worker has imported ``distributed``; a local worker process has not,
    and does not pay a third of a second to import it only to learn that."""
    if "distributed" in sys.modules:
        try:
            from distributed import get_worker

            return get_worker().address
        except (ImportError, ValueError):
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


def check_sandbox() -> None:
    """Raise :class:`SandboxRefused` if bubblewrap cannot be used here."""
    from ..sandbox.probe import default_bwrap, probe_sandbox

    problem = probe_sandbox(default_bwrap())
    if problem:
        raise SandboxRefused(worker_name(), problem)


def execute_notebook(state, notebook_json: str, usage, kernels=None) -> Execution:
    """Run one sanitized notebook through the course's execution step (with this
    thread's warm kernel) and harvest its values."""
    from nbgrader import utils as nbgrader_utils

    session = state.session
    preprocessor = state.execute_class(config=session.config)
    preprocessor.harvest_spec = session.kit.harvest_spec
    state.kernel_manager.usage = usage
    preprocessor.kernel_manager_class = state.kernel_manager
    started = time.monotonic()
    nb = nbformat.reads(notebook_json, as_version=4)
    resources = {"metadata": {"path": str(session.release_dir)}}
    with nbgrader_utils.setenv(NBGRADER_EXECUTION="autograde"):
        nb, resources = preprocessor.preprocess(nb, resources)
    execution = Execution.stored(resources) or Execution.not_run(_("was never run"))
    execution.seconds = time.monotonic() - started
    if kernels is not None:
        kernels["warm"] = kernels.get("warm", 0) + getattr(preprocessor, "warm_kernels", 0)
        kernels["cold"] = kernels.get("cold", 0) + getattr(preprocessor, "cold_kernels", 0)
    execution.notebook = nbformat.writes(nb)
    return execution


def _place_files(task: Task, folder: Path) -> None:
    from .tasks import write_public_files

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    write_public_files(task.files, str(folder))
    for rel, mtime in task.mtimes.items():
        if (folder / rel).is_file():
            os.utime(folder / rel, (mtime, mtime))


def _notebooks(state, task, folder: Path) -> list:
    pattern = state.converter.coursedir.notebook_id + ".ipynb"
    names = {rel for rel in list(task.files) + list(task.refused)
             if "/" not in rel and fnmatch.fnmatch(rel, pattern)}
    for rel in task.refused:  # nbgrader must find it; the exporter refuses to read it
        (folder / rel).touch()
    return sorted(str(folder / name) for name in names)


def _missing(state, folder: Path) -> list:
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"sqlite:///{state.db_path}", future=True)
    try:
        with engine.connect() as db:
            names = db.execute(sqlalchemy.text("SELECT name FROM notebook")).scalars().all()
    finally:
        engine.dispose()
    return sorted(name for name in names if not (folder / f"{name}.ipynb").exists())


def _replica_basis(state, assignment: str, student: str) -> dict:
    import sqlalchemy

    from .feedback_basis import read_bases

    engine = sqlalchemy.create_engine(f"sqlite:///{state.db_path}", future=True)
    try:
        with engine.connect() as db:
            return read_bases(db, assignment, [student]).get(student, {})
    finally:
        engine.dispose()


def _instructor(kit):
    """Within this block, texts are in the instructor's language (the kit's)."""
    return i18n.language(getattr(kit, "language", None) or i18n.DEFAULT)


def grade_task(task: Task, kit, plan) -> GradedRecord:
    """Grade one submission (the unit of work); ``plan`` is the plan or a reference
    to it (:mod:`.shared`)."""
    from .converter import FATAL_ERRORS

    wall, began, cpu_before = time.time(), time.monotonic(), cpu_seconds()
    if kit.require_sandbox:
        check_sandbox()
    session = sessions().get(kit)
    state = session.thread()
    state.prestart = task.prestart
    converter, student = state.converter, task.student
    coursedir = converter.coursedir
    folder = Path(coursedir.format_path(coursedir.submitted_directory, student, kit.assignment))
    dest = Path(coursedir.format_path(coursedir.autograded_directory, student, kit.assignment))
    record, usage, timings = GradedRecord(student), KernelUsage(), {}
    state.reset()
    _place_files(task, folder)
    shutil.rmtree(dest, ignore_errors=True)
    notebooks = _notebooks(state, task, folder)
    converter.exporter.refused = {str(folder / rel): reason for rel, reason in task.refused.items()}
    stage = "sanitize"
    try:
        # everything the student reads, in the language of the student's assignment
        with i18n.language(assignment_language(kit.assignment)):
            converter.adopt(student, notebooks)
            sanitized = converter.prepare(student)
            if sanitized is None:
                with _instructor(kit):
                    raise RuntimeError(_("excluded by CourseDirectory.student_id_exclude"))
            timings["prepare"] = time.monotonic() - began
            stage, mark = "execute", time.monotonic()
            kernels = {}
            executions = {nb_id: execute_notebook(state, text, usage, kernels)
                          for nb_id, text in sanitized.items()}
            timings["kernels"] = kernels
            timings["execute"] = time.monotonic() - mark
            stage, mark = "grade", time.monotonic()
            budget = max(e.seconds for e in executions.values()) + PLAN_SLACK
            converter.plan = session.plan(plan, budget)
            timings["plan_wait"] = time.monotonic() - mark
            converter.finish(student, executions)
            timings["finish"] = time.monotonic() - mark - timings["plan_wait"]
    except FATAL_ERRORS as exc:
        with _instructor(kit):
            record.failure = _("nbgrader stopped: {error}").format(error=describe_error(exc))
        record.fatal = True
    except Exception as exc:  # noqa: BLE001 - one student's failure, reported
        with _instructor(kit):
            record.failure = _(STAGES[stage]).format(error=describe_error(exc))
    finally:
        converter.exporter.refused = {}
        converter.forget(student)
    rows = replica.written_rows(str(state.db_path), student)
    record.student_row, record.submission_row = rows["student_row"], rows["submission_row"]
    record.timestamp, record.notebooks = rows["timestamp"], rows["notebooks"]
    record.missing = _missing(state, folder)
    if record.ok:
        record.files = read_tree(dest, MAX_RESULT_BYTES, max_files=10_000, max_depth=64)
        if kit.feedback:
            mark = time.monotonic()
            try:
                replica.unmark_untouched(str(state.db_path), student)
                with i18n.language(assignment_language(kit.assignment)):
                    record.feedback = feedback_folder(state, kit.assignment, student)
                record.feedback_basis = _replica_basis(state, kit.assignment, student)
            except Exception as exc:  # noqa: BLE001 - the grades stand; the page is missing
                with _instructor(kit):
                    record.feedback_failure = _(NO_FEEDBACK).format(error=describe_error(exc))
            timings["feedback"] = time.monotonic() - mark
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    timings.update(seconds=time.monotonic() - began, started=wall,
                   cpu_worker=cpu_seconds() - cpu_before, cpu_kernels=usage.cpu,
                   kernel_peak_rss=usage.peak_rss, worker_peak_rss=worker_peak_rss(),
                   worker=worker_name())
    record.timings = timings
    return record


def feedback_folder(state, assignment: str, student: str) -> dict:
    """The feedback folder of ``student`` as ``nbgrader generate_feedback`` writes it
    from the autograded folder and the grades in this thread's replica: the
    autograded folder's other files, then one page per notebook."""
    converter = state.feedback_converter()
    source = converter._format_source(assignment, student)
    dest = Path(converter._format_dest(assignment, student))
    shutil.rmtree(dest, ignore_errors=True)
    try:
        converter.init_assignment(assignment, student)
        pattern = os.path.join(source, converter.coursedir.notebook_id + ".ipynb")
        for notebook in sorted(glob.glob(pattern)):
            converter.convert_single_notebook(notebook)
        return read_tree(dest, MAX_RESULT_BYTES, max_files=10_000, max_depth=64)
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def retire(token: str) -> bool:
    """Drop the run ``token``'s session on this worker (its warm kernels, its folder)."""
    return sessions().retire(token)


def warm_up() -> int:
    """Import what a task needs (run once per worker, before the first task)."""
    import nbclient  # noqa: F401
    import nbgrader.converters  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    from ..pipeline import apply_verdicts, guarded_execute  # noqa: F401
    return os.getpid()
