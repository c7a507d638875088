"""One grading run's coordinator state: which submissions, in what order, and
the loop that prepares, dispatches and finishes them.

See :mod:`autograder.grading.coordinator` for how a run is put together. This
module imports nbgrader; the coordinator imports it only once the workers
have started, so that they start while it loads.
"""

import gc
import os
import queue as queue_module
import threading
import time
from collections import deque
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters.base import NbGraderException
from traitlets.config import Config

from ..plan.course_data import load_course_data
from ..plan.plan import inputs_only_plan
from ..plan.settings import BackpropGrader
from ..sandbox.probe import default_bwrap, sandbox_problem
from . import state as grade_state
from .converter import FATAL_ERRORS, StudentAutograde, load_app, split_pipeline
from .outcome import GradeAborted, GradeSetupError, describe_error
from .tasks import Task, execute_settings, read_public_files

#: Seconds a task may take beyond the config's per-submission budget before
#: the coordinator gives up on it.
TASK_SLACK = 120


def early_harvest_spec(public_dir, seed) -> dict:
    """The harvest spec of the plan for ``seed``, without its expected values
    (drawn in milliseconds; the full plan takes seconds)."""
    return inputs_only_plan(load_course_data(public_dir), seed=seed).harvest_spec()


class PlanBuilder(threading.Thread):
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


class Run:
    """One grading run's coordinator state."""

    def __init__(self, *, root, assignment, public_dir, state, log_file, report):
        self.root, self.assignment, self.public_dir = root, assignment, public_dir
        self.state, self.log_file, self.report = state, log_file, report
        self.progress = None

    def setup(self, *, force, students, require_sandbox, local) -> list:
        """Load nbgrader as ``nbgrader autograde`` would; return the students to grade."""
        app = load_app(self.root, log_file=self.log_file)
        app.log.info("Student kernels: %s", self.report.sandbox)
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
            problem = sandbox_problem(default_bwrap())
            if local and problem:
                raise GradeSetupError(f"--require-sandbox: {problem}")

        self.app, self.converter, self.grader, self.grading = app, converter, grader, grading
        self.execute_class, self.settings = execute_class, settings
        self.hashes, unreadable = {}, {}
        for student in chosen:  # one folder that cannot be read fails its student only
            try:
                self.hashes[student] = grade_state.tree_hash(submitted[student])
            except OSError as exc:
                unreadable[student] = f"its folder could not be read: {describe_error(exc)}"
        for student, reason in unreadable.items():
            self._fail(student, reason)
        chosen = [s for s in chosen if s not in unreadable]
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
        gc.freeze()  # what setup loaded lives until the end (see runtime.long_lived_frozen)
        spec = early_harvest_spec(self.public_dir, self.report.seed)
        self.plan_builder = PlanBuilder(self.grader, spec)
        public_files = read_public_files(self.public_dir)
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
                    self._fail(student, f"nbgrader could not sanitize it: {describe_error(exc)}", exc)
                    continue
                if notebooks is None:
                    self._fail(student, "excluded by CourseDirectory.student_id_exclude")
                    continue
                pool.submit(student, Task(student=student, notebooks=notebooks,
                                          public_files=public_files, harvest_spec=spec,
                                          config=self.settings,
                                          execute_class=self.execute_class))
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
                self._fail(tag, f"the worker could not execute it: {describe_error(error)}", error)
            else:
                self.plan_builder.wait()
                began = time.monotonic()
                try:
                    self.converter.finish(tag, result.notebooks)
                except FATAL_ERRORS:
                    raise
                except Exception as exc:  # noqa: BLE001 - nbgrader's per-student errors
                    self._fail(tag, f"nbgrader could not grade it: {describe_error(exc)}", exc)
                else:
                    finish = time.monotonic() - began
                    self.state.record(self.assignment, tag, submission=self.hashes[tag],
                                      grading=self.grading, seconds=result.seconds)
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
        self.report.timings[student] = {
            "prepare": round(info["prepare"], 3),
            "queued": round(result.started - info["submitted_wall"], 3),
            "execute": round(result.seconds, 3),
            "cpu_worker": round(result.cpu_worker, 3),
            "cpu_kernels": round(result.cpu_kernels, 3),
            "finish": round(finish, 3),
            "turnaround": round(time.monotonic() - info["submitted"], 3),
            "worker": result.worker,
        }
        seen = self.report.workers.setdefault(result.worker, {"tasks": 0, "worker_peak_rss": 0,
                                                              "kernel_peak_rss": 0})
        seen["tasks"] += 1
        seen["worker_peak_rss"] = max(seen["worker_peak_rss"], result.worker_peak_rss)
        seen["kernel_peak_rss"] = max(seen["kernel_peak_rss"], result.kernel_peak_rss)
        if self.progress:
            self.progress.step(student)


# -- the command ---------------------------------------------------------------
