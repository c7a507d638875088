"""``backprop grade``: autograde a whole class with a pool of workers.

The same pipeline as ``nbgrader autograde`` with the course config (the
config's sanitize steps, ``GuardedExecute`` in the sandbox, ``ApplyVerdicts``,
``SaveAutoGrades``, late penalties, ...), run per submission on a worker, so
that the coordinator (this process) is off the critical path:

1. the **coordinator** loads nbgrader as ``nbgrader autograde`` does, finds
   the submissions and which of them changed (:mod:`.submissions`,
   :mod:`.state`), and builds the run's kit once (:mod:`.kit`: the
   configuration, a replica of the assignment's gradebook rows, the release);
   the plan (reference training and hidden cases) is built in a thread while
   the first submissions execute, and sent to every worker once;
2. a **worker** (a local process, or a Dask worker anywhere) runs nbgrader's
   per-student steps for one submission against the replica: the safe reading
   and sanitizing, ``GuardedExecute`` in the sandbox, the verdicts, the loss
   plot and the autograded notebook (:func:`~autograder.grading.worker.grade_task`),
   and returns the rows nbgrader wrote and the autograded folder (with
   ``--feedback``, the feedback folder too, as ``nbgrader generate_feedback``
   writes it);
3. the coordinator writes the folder and, in batches of one transaction each,
   the rows into the real gradebook (:mod:`.gradebook_writer`): the same
   gradebook ``nbgrader autograde`` writes; then the batch's feedback folders.

Submissions stream through a bounded window, so the coordinator's memory does
not grow with the class. Submissions never timed go first, then the slowest
of the previous run, so that a long one does not start last while the other
workers idle. Only new or changed submissions are graded unless ``force``,
and a run killed at any moment is completed by the next one.
"""

import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..constants import STATE_DIR
from ..core.course import ASSIGNMENT
from ..i18n import _
from ..workspace.folder import CourseError, course_folder
from .outcome import (
    GradeAborted,
    GradeReport,
    GradeSetupError,
    describe_error,
    sandbox_line,
    summary,
)
from .progress import Progress
from .run_files import log_files, remove_stale_run_dirs, run_lock, write_last_run
from .runtime import long_lived_frozen, warnings_to, working_dir


def course_root(course) -> Path:
    """The course folder: ``course`` when given, else found from the current folder
    (never anywhere else: outside a course nothing is written)."""
    try:
        return course_folder(course)
    except CourseError as exc:
        raise GradeSetupError(str(exc)) from None


def grade_class(*, assignment=ASSIGNMENT, course=None, workers=None, scheduler=None,
                force=False, students=None, require_sandbox=False, progress=True,
                stream=None, security=None, on_tail=None, feedback=False) -> GradeReport:
    """Autograde ``submitted/*/<assignment>`` of ``course`` in parallel.

    ``workers`` local processes (default: the CPU count), or the Dask cluster
    at ``scheduler`` (``security``: a ``distributed.security.Security`` for
    ``tls://``). Only new or changed submissions unless ``force``; only
    ``students`` if given. Raises :class:`GradeSetupError` for unusable
    input; a submission that fails to grade is listed in the report.

    ``on_tail``: a callable run once, in a thread, when the last submissions are
    in flight and a worker has nothing left to do; what the caller does after
    the run (the class report) can get ready there, on the CPU the run no longer
    uses. Its failure is logged and changes nothing of the run.

    ``feedback``: the workers also write each graded submission's feedback
    folder, the one ``nbgrader generate_feedback`` would write now; a student
    whose gradebook rows hold grades no worker sees is left to that command.
    """
    started, cpu_started = time.monotonic(), time.process_time()
    root = course_root(course)
    public_dir = root / "release" / assignment
    if not public_dir.is_dir():
        raise GradeSetupError(_("unknown assignment {assignment!r}: {folder} does not exist "
                                "(run `nbgrader generate_assignment {assignment}` "
                                "first)").format(assignment=assignment, folder=public_dir))
    if workers is not None and workers < 1:
        raise GradeSetupError(_("--workers must be at least 1"))
    state_dir = root / STATE_DIR
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")

    report = GradeReport(assignment=assignment, course=root,
                         sandbox=sandbox_line(scheduler, require_sandbox), feedback=feedback)
    with ExitStack() as stack:
        stack.enter_context(run_lock(state_dir))
        remove_stale_run_dirs(state_dir)
        log_file, worker_log = log_files(state_dir)
        report.log_file = log_file
        stack.enter_context(warnings_to(log_file))
        stack.enter_context(working_dir(root))
        stack.enter_context(long_lived_frozen())
        # A Dask client connects while the coordinator loads nbgrader; local
        # workers are forked once the run's kit is built (Run.grade).
        pool = stack.enter_context(_pool(workers, scheduler, worker_log, security=security,
                                         require_sandbox=require_sandbox,
                                         run_dir=state_dir / f"run-{os.getpid()}"))
        report.pool = pool.description
        from .converter import FATAL_ERRORS, SetupError
        from .run import Run
        from .state import GradeState

        try:
            run = Run(root=root, assignment=assignment, public_dir=public_dir,
                      state=GradeState(root), log_file=log_file, report=report,
                      on_tail=on_tail)
            todo = run.setup(force=force, students=students, require_sandbox=require_sandbox,
                             local=scheduler is None, feedback=feedback)
        except SetupError as exc:
            raise GradeSetupError(str(exc)) from None
        if todo:
            try:
                run.grade(todo, pool, Progress(len(todo), stream) if progress else None)
            except FATAL_ERRORS as exc:
                raise GradeAborted(_("nbgrader stopped: {error}").format(
                    error=describe_error(exc))) from exc
        else:
            report.pool = ""
    report.seconds = time.monotonic() - started
    report.coordinator_cpu = time.process_time() - cpu_started
    write_last_run(state_dir, report)
    return report


@contextmanager
def _pool(workers, scheduler, worker_log, *, security, require_sandbox, run_dir):
    """The worker pool, closed at the end (killed if the run stops early)."""
    if scheduler:
        from .dask_pool import DaskPool, plain_tcp_warning

        warning = plain_tcp_warning(scheduler)
        if warning:
            print(f"backprop grade: {warning}", file=sys.stderr)
        try:
            pool = DaskPool(scheduler, security=security, require_sandbox=require_sandbox)
        except (OSError, TimeoutError, RuntimeError, ValueError, TypeError) as exc:
            raise GradeSetupError(_("cannot use the Dask scheduler {scheduler}: {error}").format(
                scheduler=scheduler, error=describe_error(exc))) from None
    else:
        from .pools import LocalPool

        pool = LocalPool(workers or os.cpu_count() or 1, log_path=worker_log, run_dir=run_dir)
    try:
        yield pool
    except BaseException:
        pool.close(kill=True)
        raise
    pool.close()


def run_grade(assignment=ASSIGNMENT, *, course=None, workers=None, scheduler=None,
              force=False, students=None, require_sandbox=False, tls_ca_file=None,
              tls_cert=None, tls_key=None, on_tail=None,
              feedback=False) -> tuple[int, GradeReport]:
    """``backprop grade``: ``(exit code, report)``; the code is 0 when all were
    graded, 1 when some failed to grade or the run stopped, 2 for a usage or file
    error (the report is then ``None``)."""
    try:
        security = None
        if tls_ca_file or tls_cert or tls_key:
            if not scheduler:
                raise GradeSetupError(_("--tls-ca-file, --tls-cert and --tls-key need "
                                        "--scheduler"))
            from .dask_pool import security_from

            security = security_from(tls_ca_file, tls_cert, tls_key)
        report = grade_class(assignment=assignment, course=course, workers=workers,
                             scheduler=scheduler, force=force, students=students,
                             require_sandbox=require_sandbox, security=security,
                             on_tail=on_tail, feedback=feedback)
    except GradeSetupError as exc:
        print(f"backprop grade: {exc}", file=sys.stderr)
        return 2, None
    except GradeAborted as exc:
        print(f"backprop grade: {exc}", file=sys.stderr)
        return 1, None
    print(summary(report))
    return (0 if report.ok else 1), report
