"""``backprop grade``: autograde a whole class with a pool of workers.

The same pipeline as ``nbgrader autograde`` with the course config (the
config's sanitize steps, ``GuardedExecute`` in the sandbox, ``ApplyVerdicts``,
``SaveAutoGrades``, late penalties, ...), split so that the expensive part
runs in parallel:

1. the **coordinator** (this process, the only one that opens the gradebook)
   runs nbgrader's own per-student start and sanitize pass
   (:meth:`~autograder.autograde_steps.StudentAutograde.prepare`);
2. a **worker** (a local process, or a Dask worker anywhere) executes the
   sanitized notebook with ``GuardedExecute`` and harvests its values
   (:func:`~autograder.execute_task.run_student_task`); a task carries the
   notebook, the public files and the plan's harvest spec, nothing else;
3. the coordinator runs nbgrader's autograde pass with ``GuardedExecute``
   replaced by a replay of the worker's result
   (:meth:`~autograder.autograde_steps.StudentAutograde.finish`), which
   computes the verdicts and writes the grades.

The coordinator prepares a few submissions ahead and finishes each as its
result arrives, so its bookkeeping overlaps the workers' execution. The plan
(reference training and hidden cases) is built once, in a thread of the
coordinator, while the first submissions execute; the workers only need its
inputs, which are drawn from the same seed at once. The reference training
does not depend on the seed and is read from ``.backprop/cache`` after the
first run (:mod:`autograder.plan_cache`). Submissions never timed go first,
then the slowest of the previous run, so that a long one does not start last
while the other workers idle.

Only new or changed submissions are graded unless ``force``
(:mod:`autograder.grade_state`), and a run killed at any moment is completed
by the next one.
"""

import fcntl
import logging
import os
import sys
import threading
import time
from collections import deque
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .course import ASSIGNMENT

STATE_DIR = ".backprop"
LOG_DIR = "logs"
LAST_RUN = "last-run.json"
KEEP_LOGS = 20
#: Seconds a task may take beyond the config's per-submission budget before
#: the coordinator gives up on it.
TASK_SLACK = 120


class GradeSetupError(RuntimeError):
    """The course, the assignment or the options are unusable (exit code 2)."""


class GradeAborted(RuntimeError):
    """The run had to stop: the gradebook failed, or a worker hung (exit code 1).

    Whatever was graded before is kept; the next run completes the rest."""


@dataclass
class GradeReport:
    """What one ``grade_class`` call did."""

    assignment: str
    course: Path
    pool: str = ""
    seed: int = None
    submissions: list = field(default_factory=list)
    graded: list = field(default_factory=list)
    order: list = field(default_factory=list)
    up_to_date: list = field(default_factory=list)
    failed: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    workers: dict = field(default_factory=dict)
    seconds: float = 0.0
    coordinator_cpu: float = 0.0
    log_file: Path = None

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        return {
            "assignment": self.assignment, "course": str(self.course), "pool": self.pool,
            "submissions": self.submissions, "order": self.order, "graded": self.graded,
            "up_to_date": self.up_to_date, "failed": self.failed, "timings": self.timings,
            "workers": self.workers, "seconds": round(self.seconds, 3),
            "coordinator_cpu": round(self.coordinator_cpu, 3),
            "log_file": str(self.log_file) if self.log_file else None,
        }


class Progress:
    """``[#####-----] i/n`` on stderr: redrawn on a terminal, one line per step elsewhere."""

    def __init__(self, total, stream=None, width=30):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()

    def step(self, student, ok=True):
        self.done += 1
        self.failed += not ok
        filled = int(self.width * self.done / max(1, self.total))
        bar = "#" * filled + "-" * (self.width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        text = (f"[{bar}] {self.done}/{self.total}{failed}  "
                f"{time.monotonic() - self.started:6.1f}s  {student}"
                f"{'' if ok else ' FAILED'}")
        if self.tty:
            self.stream.write("\r\033[K" + text)
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


# -- setup -------------------------------------------------------------------


def _course_root(course) -> Path:
    from .course_dir import CourseError, find_course_root

    if course is None:
        try:
            return find_course_root()
        except CourseError as exc:
            raise GradeSetupError(str(exc)) from None
    root = Path(course).resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise GradeSetupError(f"{root} is not a course folder (no nbgrader_config.py)")
    return root


@contextmanager
def _run_lock(state_dir: Path):
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "grade.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise GradeSetupError(f"another `backprop grade` is running in this course "
                                  f"({state_dir / 'grade.lock'} is locked)") from None
        yield


def _log_files(state_dir: Path):
    logs = state_dir / LOG_DIR
    logs.mkdir(parents=True, exist_ok=True)
    old = sorted(logs.glob("grade-*.log"))
    for path in old[:max(0, len(old) - KEEP_LOGS)]:
        path.unlink(missing_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
    return logs / f"grade-{stamp}.log", logs / f"grade-{stamp}-workers.log"


@contextmanager
def _warnings_to(log_file):
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logger = logging.getLogger("py.warnings")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        logger.removeHandler(handler)
        logger.propagate = propagate
        handler.close()


@contextmanager
def _working_dir(path):
    here = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(here)


def _plain(value):
    from traitlets.config import Config

    if isinstance(value, (Config, dict)):
        return {key: _plain(item) for key, item in value.items()}
    return value


def execute_settings(config, execute_class) -> dict:
    """The config sections that the execution step and its kernel manager read."""
    kernel_manager = execute_class(config=config).kernel_manager
    names = {cls.__name__ for cls in execute_class.mro() + kernel_manager.mro()}
    return {name: _plain(config[name]) for name in sorted(names) if name in config}


class _InputsOnly:
    """Expectations that compute nothing: a plan with the inputs only."""

    name = "inputs only"

    def backprop_step(self, **inputs):
        return ()

    def train(self, *args, **kwargs):
        return ()


def early_harvest_spec(public_dir, seed) -> dict:
    """The harvest spec of the plan for ``seed``, without its expected values
    (drawn in milliseconds; the full plan takes seconds)."""
    from .plan import build_plan, load_course_data

    return build_plan(_InputsOnly(), load_course_data(public_dir), seed=seed).harvest_spec()


class _PlanBuilder(threading.Thread):
    """Builds the full plan (the same one ApplyVerdicts asks for) in the background."""

    def __init__(self, grader, spec):
        super().__init__(name="backprop-plan", daemon=True)
        self.grader, self.spec, self.error = grader, spec, None

    def run(self):
        try:
            plan = self.grader.plan()
            if plan.harvest_spec() != self.spec:
                raise RuntimeError("the workers' harvest spec differs from the plan's")
        except BaseException as exc:  # noqa: BLE001 - reported by wait()
            self.error = exc

    def wait(self):
        if not self.is_alive() and self.error is None and self.ident is None:
            self.start()
        self.join()
        if self.error is not None:
            raise GradeSetupError(f"the grading plan could not be built: {self.error}")


def _describe(exc) -> str:
    text = str(exc).strip().splitlines()
    detail = text[-1] if text else ""
    return f"{type(exc).__name__}: {detail}"[:500] if detail else type(exc).__name__


# -- the run -----------------------------------------------------------------


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
    root = _course_root(course)
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

    report = GradeReport(assignment=assignment, course=root)
    with ExitStack() as stack:
        stack.enter_context(_run_lock(state_dir))
        log_file, worker_log = _log_files(state_dir)
        report.log_file = log_file
        stack.enter_context(_warnings_to(log_file))
        stack.enter_context(_working_dir(root))
        stack.enter_context(_long_lived_frozen())
        from .safe_reading import remembering_cells

        stack.enter_context(remembering_cells())
        # The workers start (and import) while the coordinator loads nbgrader.
        pool = stack.enter_context(_pool(workers, scheduler, worker_log))
        report.pool = pool.description
        from .autograde_steps import FATAL_ERRORS, SetupError
        from .grade_state import GradeState

        try:
            run = _Run(root=root, assignment=assignment, public_dir=public_dir,
                       state=GradeState(root), log_file=log_file, report=report)
            todo = run.setup(force=force, students=students, require_sandbox=require_sandbox,
                             local=scheduler is None)
        except SetupError as exc:
            raise GradeSetupError(str(exc)) from None
        if todo:
            try:
                run.grade(todo, pool, Progress(len(todo), stream) if progress else None)
            except FATAL_ERRORS as exc:
                raise GradeAborted(f"nbgrader stopped: {_describe(exc)}") from exc
        else:
            report.pool = ""
    report.seconds = time.monotonic() - started
    report.coordinator_cpu = time.process_time() - cpu_started
    _write_last_run(state_dir, report)
    return report


@contextmanager
def _long_lived_frozen():
    """Keep the garbage collector off the run's long-lived objects.

    The modules, the nbgrader app and the gradebook's ORM mappings live for the
    whole run; without this, each full collection walks all of them again
    (about 0.4 s of the coordinator's CPU in a run of 16). Frozen before the
    workers are forked and again before the first submission; everything is
    unfrozen at the end, so garbage made before the run is still collected."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _pool(workers, scheduler, worker_log):
    """The worker pool, closed at the end (killed if the run stops early)."""
    from .worker_pools import DaskPool, LocalPool

    if scheduler:
        try:
            pool = DaskPool(scheduler)
        except (OSError, TimeoutError, RuntimeError, ValueError) as exc:
            raise GradeSetupError(f"cannot use the Dask scheduler {scheduler}: "
                                  f"{_describe(exc)}") from None
    else:
        pool = LocalPool(workers or os.cpu_count() or 1, log_path=worker_log)
    try:
        pool.warm()
        yield pool
    except BaseException:
        pool.close(kill=True)
        raise
    pool.close()


def _write_last_run(state_dir, report):
    import json

    try:
        (state_dir / LAST_RUN).write_text(json.dumps(report.to_dict(), indent=1),
                                          encoding="utf-8")
    except OSError:
        pass


class _Run:
    """One grading run's coordinator state."""

    def __init__(self, *, root, assignment, public_dir, state, log_file, report):
        self.root, self.assignment, self.public_dir = root, assignment, public_dir
        self.state, self.log_file, self.report = state, log_file, report

    def setup(self, *, force, students, require_sandbox, local) -> list:
        """Load nbgrader as ``nbgrader autograde`` would; return the students to grade."""
        from nbgrader.api import Gradebook, MissingEntry
        from nbgrader.converters.base import NbGraderException
        from traitlets.config import Config

        from . import grade_state, sandbox
        from .autograde_steps import StudentAutograde, load_app, split_pipeline
        from .grading_run import BackpropGrader

        app = load_app(self.root, log_file=self.log_file)
        app.coursedir.assignment_id = self.assignment
        db_url = app.coursedir.db_url
        try:
            with Gradebook(db_url) as gradebook:
                gradebook.find_assignment(self.assignment)
        except MissingEntry:
            raise GradeSetupError(f"unknown assignment {self.assignment!r}: it is not in the "
                                  f"gradebook (run `nbgrader generate_assignment "
                                  f"{self.assignment}`)") from None
        configured = app.config.BackpropGrader.get("hidden_seed")
        seed = configured if configured is not None else self.state.seed(self.assignment)
        app.update_config(Config({"BackpropGrader": {"hidden_seed": seed}}))
        self.report.seed = seed

        converter = StudentAutograde(coursedir=app.coursedir, parent=app)
        execute_class, pipeline = split_pipeline(converter.autograde_preprocessors)
        try:
            submitted = converter.start_class(pipeline)
        except NbGraderException:
            raise GradeSetupError(f"no submissions: nothing matches "
                                  f"submitted/*/{self.assignment}/*.ipynb in {self.root}") \
                from None
        excluded = set(filter(None, (app.coursedir.student_id_exclude or "").split(",")))
        submitted = {s: path for s, path in submitted.items() if s not in excluded}
        chosen = sorted(submitted)
        if students:
            unknown = sorted(set(students) - set(submitted))
            if unknown:
                raise GradeSetupError(f"no submission of {self.assignment!r} for "
                                      f"{', '.join(unknown)}")
            chosen = sorted(set(students))
        self.report.submissions = chosen

        grader = BackpropGrader(parent=converter)
        reference = Path(grader.solutions_dir or "", "reference.py")
        if not grader.solutions_dir or not reference.is_file():
            raise GradeSetupError(f"the reference solutions are missing: {reference}")
        if Path(grader.public_dir or "").resolve() != self.public_dir.resolve():
            raise GradeSetupError(f"BackpropGrader.public_dir ({grader.public_dir}) is not "
                                  f"the release of {self.assignment!r} ({self.public_dir})")

        settings = execute_settings(app.config, execute_class)
        grading = grade_state.fingerprint(course_root=self.root, assignment=self.assignment,
                                          seed=seed, config=app.config)
        if require_sandbox:
            settings.setdefault("SandboxedKernelManager", {})["require_sandbox"] = True
            problem = sandbox._sandbox_problem(sandbox._default_bwrap())
            if local and problem:
                raise GradeSetupError(f"--require-sandbox: {problem}")

        self.converter, self.grader, self.grading = converter, grader, grading
        self.execute_class, self.settings = execute_class, settings
        self.hashes = {s: grade_state.tree_hash(submitted[s]) for s in chosen}
        if force:
            todo = chosen
        else:
            complete = grade_state.graded_in_gradebook(db_url, self.assignment)
            todo = [s for s in chosen if not (
                s in complete and self._outputs_exist(s)
                and self.state.is_recorded(self.assignment, s, submission=self.hashes[s],
                                           grading=grading))]
        self.report.up_to_date = [s for s in chosen if s not in todo]
        self.report.order = self.state.longest_first(self.assignment, todo)
        return self.report.order

    def _outputs_exist(self, student) -> bool:
        dest = Path(self.converter._format_dest(self.assignment, student))
        return all((dest / os.path.basename(f)).is_file()
                   for f in self.converter.notebook_files(student))

    def grade(self, todo, pool, progress) -> None:
        import gc

        from .autograde_steps import FATAL_ERRORS
        from .execute_task import read_public_files

        gc.freeze()  # what setup loaded lives until the end (see _long_lived_frozen)
        spec = early_harvest_spec(self.public_dir, self.report.seed)
        self.plan_builder = _PlanBuilder(self.grader, spec)
        base_task = {"public_files": read_public_files(self.public_dir), "harvest_spec": spec,
                     "config": self.settings, "execute_class": self.execute_class}
        budget = self._task_budget()  # per notebook
        pending, inflight = deque(todo), {}
        ahead = 2 * pool.capacity
        self.progress = progress

        while pending or inflight:
            while pending and len(inflight) < ahead:
                student = pending.popleft()
                began = time.monotonic()
                try:
                    notebooks = self.converter.prepare(student)
                except FATAL_ERRORS:
                    raise
                except Exception as exc:  # noqa: BLE001 - nbgrader's per-student errors
                    self._fail(student, f"nbgrader could not sanitize it: {_describe(exc)}", exc)
                    continue
                if notebooks is None:
                    self._fail(student, "excluded by CourseDirectory.student_id_exclude")
                    continue
                pool.submit(student, dict(base_task, student=student, notebooks=notebooks))
                now = time.monotonic()
                inflight[student] = {"prepare": now - began, "submitted": now,
                                     "submitted_wall": time.time(),
                                     "deadline": now + budget * len(notebooks)
                                     * (1 + len(inflight) // pool.capacity)}
                if self.plan_builder.ident is None and (len(inflight) >= pool.capacity
                                                        or not pending):
                    self.plan_builder.start()  # the workers are busy: build the plan now
                self._drain(pool, inflight, block=False)
            self._drain(pool, inflight, block=True)
            self._expire(pool, inflight)

    def _task_budget(self) -> float:
        probe = self.execute_class(config=self.converter.config)
        return probe.submission_timeout + probe.harvest_timeout + TASK_SLACK

    def _drain(self, pool, inflight, *, block) -> None:
        import queue as queue_module

        from .autograde_steps import FATAL_ERRORS

        timeout = 0.5 if block else 0
        while True:
            try:
                tag, future, result, error = pool.done.get(block=block, timeout=timeout or None)
            except queue_module.Empty:
                return
            resolved = pool.resolve(tag, future, result, error)
            if resolved is None or tag not in inflight:
                block = False
                continue
            result, error = resolved
            info = inflight.pop(tag)
            if error is not None:
                self._fail(tag, f"the worker could not execute it: {_describe(error)}", error)
            else:
                self.plan_builder.wait()
                began = time.monotonic()
                try:
                    self.converter.finish(tag, result["notebooks"])
                except FATAL_ERRORS:
                    raise
                except Exception as exc:  # noqa: BLE001 - nbgrader's per-student errors
                    self._fail(tag, f"nbgrader could not grade it: {_describe(exc)}", exc)
                else:
                    finish = time.monotonic() - began
                    self.state.record(self.assignment, tag, submission=self.hashes[tag],
                                      grading=self.grading, seconds=result["seconds"])
                    self._done(tag, info, result, finish)
            block = False

    def _expire(self, pool, inflight) -> None:
        now = time.monotonic()
        late = [s for s, info in inflight.items() if now > info["deadline"]]
        for student in late:
            inflight.pop(student)
            self._fail(student, "its worker did not answer in time")
        if late:
            pool.close(kill=True)
            raise GradeAborted("a worker stopped answering; the run was stopped "
                               f"({', '.join(late)}); run `backprop grade` again")

    def _fail(self, student, reason, exc=None) -> None:
        self.report.failed[student] = reason
        self.state.forget(self.assignment, student)
        try:
            self.converter.discard(student)
        except Exception:  # noqa: BLE001 - best effort, as in nbgrader
            pass
        self.converter.log.error("Failed to grade %s: %s", student, reason,
                                 exc_info=(type(exc), exc, exc.__traceback__) if exc else None)
        if self.progress:
            self.progress.step(student, ok=False)

    def _done(self, student, info, result, finish) -> None:
        self.report.graded.append(student)
        worker = result.get("worker", {})
        self.report.timings[student] = {
            "prepare": round(info["prepare"], 3),
            "queued": round(result.get("started", 0) - info["submitted_wall"], 3),
            "execute": round(result["seconds"], 3),
            "cpu_worker": round(result.get("cpu", {}).get("worker", 0), 3),
            "cpu_kernels": round(result.get("cpu", {}).get("kernels", 0), 3),
            "finish": round(finish, 3),
            "turnaround": round(time.monotonic() - info["submitted"], 3),
            "worker": f"{worker.get('host')}:{worker.get('pid')}",
        }
        key = f"{worker.get('host')}:{worker.get('pid')}"
        seen = self.report.workers.setdefault(key, {"tasks": 0, "worker_peak_rss": 0,
                                                    "kernel_peak_rss": 0})
        seen["tasks"] += 1
        for name in ("worker_peak_rss", "kernel_peak_rss"):
            seen[name] = max(seen[name], worker.get(name) or 0)
        if self.progress:
            self.progress.step(student)


# -- the command ---------------------------------------------------------------


def _mib(n) -> str:
    return f"{n / 2**20:.0f} MiB"


def summary(report: GradeReport) -> str:
    """The final text: counts, speed, every submission that FAILED TO GRADE."""
    lines = []
    n = len(report.graded)
    rate = f", {60 * n / report.seconds:.1f} per minute" if n and report.seconds else ""
    lines.append(f"Graded {n} submission{'s' * (n != 1)} of {report.assignment!r} in "
                 f"{report.seconds:.1f} s{rate}" + (f" with {report.pool}" if report.pool else "")
                 + ".")
    if report.up_to_date:
        lines.append(f"{len(report.up_to_date)} unchanged submission"
                     f"{'s were' if len(report.up_to_date) != 1 else ' was'} already graded "
                     "(--force regrades them).")
    for key, info in sorted(report.workers.items()):
        lines.append(f"  worker {key}: {info['tasks']} task(s), peak memory "
                     f"{_mib(info['worker_peak_rss'])} (its kernels {_mib(info['kernel_peak_rss'])})")
    if report.failed:
        lines.append(f"FAILED TO GRADE: {len(report.failed)} submission"
                     f"{'s' * (len(report.failed) != 1)}")
        for student, reason in sorted(report.failed.items()):
            lines.append(f"  {student}: {reason}")
    if report.log_file:
        lines.append(f"Log: {report.log_file}")
    return "\n".join(lines)


def run_grade(assignment=ASSIGNMENT, *, course=None, workers=None, scheduler=None,
              force=False, students=None, require_sandbox=False) -> int:
    """``backprop grade``: 0 all graded, 1 some failed to grade, 2 usage or file error."""
    try:
        report = grade_class(assignment=assignment, course=course, workers=workers,
                             scheduler=scheduler, force=force, students=students,
                             require_sandbox=require_sandbox)
    except GradeSetupError as exc:
        print(f"backprop grade: {exc}", file=sys.stderr)
        return 2
    except GradeAborted as exc:
        print(f"backprop grade: {exc}", file=sys.stderr)
        return 1
    print(summary(report))
    try:
        from .report import write_report

        out = write_report(course=report.course, assignment=assignment)
        print(f"Class report: {out / 'report.html'} (per-item CSV: {out / 'items.csv'})")
    except Exception as exc:  # noqa: BLE001 - the grades are saved; the report is a bonus
        print(f"backprop grade: the class report could not be written: {exc}", file=sys.stderr)
    return 0 if report.ok else 1
