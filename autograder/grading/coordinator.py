"""``backprop grade``: autograde a whole class with a pool of workers.

The same pipeline as ``nbgrader autograde`` with the course config (the
config's sanitize steps, ``GuardedExecute`` in the sandbox, ``ApplyVerdicts``,
``SaveAutoGrades``, late penalties, ...), split so that the expensive part
runs in parallel:

1. the **coordinator** (this process, the only one that opens the gradebook)
   runs nbgrader's own per-student start and sanitize pass
   (:meth:`~autograder.grading.converter.StudentAutograde.prepare`);
2. a **worker** (a local process, or a Dask worker anywhere) executes the
   sanitized notebook with ``GuardedExecute`` and harvests its values
   (:func:`~autograder.grading.worker.run_student_task`); a task carries the
   notebook, the public files and the plan's harvest spec, nothing else;
3. the coordinator runs nbgrader's autograde pass with ``GuardedExecute``
   replaced by a replay of the worker's result
   (:meth:`~autograder.grading.converter.StudentAutograde.finish`), which
   computes the verdicts and writes the grades.

The coordinator prepares a few submissions ahead and finishes each as its
result arrives, so its bookkeeping overlaps the workers' execution
(:class:`~autograder.grading.run.Run`). The plan (reference training and
hidden cases) is built once, in a thread of the coordinator, while the first
submissions execute; the workers only need its inputs, which are drawn from
the same seed at once. The reference training does not depend on the seed and
is read from ``.backprop/cache`` after the first run
(:mod:`autograder.plan.cache`). Submissions never timed go first, then the
slowest of the previous run, so that a long one does not start last while
the other workers idle.

Only new or changed submissions are graded unless ``force``
(:mod:`autograder.grading.state`), and a run killed at any moment is completed
by the next one.
"""

import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..constants import STATE_DIR
from ..core.course import ASSIGNMENT
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
from .run_files import log_files, run_lock, write_last_run
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
                stream=None) -> GradeReport:
    """Autograde ``submitted/*/<assignment>`` of ``course`` in parallel.

    ``workers`` local processes (default: the CPU count), or the Dask cluster
    at ``scheduler``. Only new or changed submissions unless ``force``; only
    ``students`` if given. Raises :class:`GradeSetupError` for unusable
    input; a submission that fails to grade is listed in the report.
    """
    started, cpu_started = time.monotonic(), time.process_time()
    root = course_root(course)
    public_dir = root / "release" / assignment
    if not public_dir.is_dir():
        raise GradeSetupError(f"unknown assignment {assignment!r}: {public_dir} does not exist "
                              f"(run `nbgrader generate_assignment {assignment}` first)")
    if workers is not None and workers < 1:
        raise GradeSetupError("--workers must be at least 1")
    state_dir = root / STATE_DIR
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")

    report = GradeReport(assignment=assignment, course=root,
                         sandbox=sandbox_line(scheduler, require_sandbox))
    with ExitStack() as stack:
        stack.enter_context(run_lock(state_dir))
        log_file, worker_log = log_files(state_dir)
        report.log_file = log_file
        stack.enter_context(warnings_to(log_file))
        stack.enter_context(working_dir(root))
        stack.enter_context(long_lived_frozen())
        # The workers start (and import) while the coordinator loads nbgrader.
        pool = stack.enter_context(_pool(workers, scheduler, worker_log))
        report.pool = pool.description
        from ..pipeline.cell_metadata import remembering_cells
        from .converter import FATAL_ERRORS, SetupError
        from .run import Run
        from .state import GradeState

        try:
            run = Run(root=root, assignment=assignment, public_dir=public_dir,
                      state=GradeState(root), log_file=log_file, report=report)
            todo = run.setup(force=force, students=students, require_sandbox=require_sandbox,
                             local=scheduler is None)
        except SetupError as exc:
            raise GradeSetupError(str(exc)) from None
        stack.enter_context(remembering_cells(run.app))
        if todo:
            try:
                run.grade(todo, pool, Progress(len(todo), stream) if progress else None)
            except FATAL_ERRORS as exc:
                raise GradeAborted(f"nbgrader stopped: {describe_error(exc)}") from exc
        else:
            report.pool = ""
    report.seconds = time.monotonic() - started
    report.coordinator_cpu = time.process_time() - cpu_started
    write_last_run(state_dir, report)
    return report


@contextmanager
def _pool(workers, scheduler, worker_log):
    """The worker pool, closed at the end (killed if the run stops early)."""
    from .pools import DaskPool, LocalPool

    if scheduler:
        try:
            pool = DaskPool(scheduler)
        except (OSError, TimeoutError, RuntimeError, ValueError) as exc:
            raise GradeSetupError(f"cannot use the Dask scheduler {scheduler}: "
                                  f"{describe_error(exc)}") from None
    else:
        pool = LocalPool(workers or os.cpu_count() or 1, log_path=worker_log)
    try:
        pool.warm()
        yield pool
    except BaseException:
        pool.close(kill=True)
        raise
    pool.close()


def run_grade(assignment=ASSIGNMENT, *, course=None, workers=None, scheduler=None,
              force=False, students=None, require_sandbox=False) -> tuple[int, GradeReport]:
    """``backprop grade``: ``(exit code, report)``; the code is 0 when all were
    graded, 1 when some failed to grade or the run stopped, 2 for a usage or file
    error (the report is then ``None``)."""
    try:
        report = grade_class(assignment=assignment, course=course, workers=workers,
                             scheduler=scheduler, force=force, students=students,
                             require_sandbox=require_sandbox)
    except GradeSetupError as exc:
        print(f"backprop grade: {exc}", file=sys.stderr)
        return 2, None
    except GradeAborted as exc:
        print(f"backprop grade: {exc}", file=sys.stderr)
        return 1, None
    print(summary(report))
    return (0 if report.ok else 1), report
