"""One grading run's coordinator: which submissions, in what order, and the loop
that sends them to the workers and writes what comes back.

See :mod:`autograder.grading.coordinator` for how a run is put together. The
coordinator never parses a notebook: it reads each submitted folder's files
(:mod:`.submissions`), keeps a bounded window of tasks in flight, writes each
returned autograded folder, and writes the gradebook rows in batches
(:mod:`.gradebook_writer`), one transaction each; a student is recorded as
graded (:mod:`.state`) once its batch is committed. Nothing of a submission
stays in memory once it is written.
"""

import copy
import gc
import os
import queue as queue_module
import threading
import time
from collections import deque
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from ..core.course import assignment_language
from ..i18n import _, language
from ..pipeline.gradebook_index import ensure_indexes
from ..pipeline.submission_copy import SubmissionRefused, check_timestamp
from ..plan.cache import PlanCache
from ..plan.course_data import load_course_data
from ..plan.plan import inputs_only_plan
from ..plan.settings import BackpropGrader
from ..sandbox.probe import default_bwrap, sandbox_problem
from . import state as grade_state
from .converter import StudentAutograde, load_app, split_pipeline
from .gradebook_writer import GradebookWriter
from .kit import build_kit
from .outcome import GradeAborted, GradeSetupError, describe_error
from .plan_builder import PlanBuilder
from .run_results import Results
from .submissions import read_task, stat_signature, submission_hash

#: Seconds a task may take beyond the config's per-submission budget before
#: the coordinator gives up on it.
TASK_SLACK = 120


def early_harvest_spec(public_dir, seed, cache_dir="") -> dict:
    """The harvest spec of the plan for ``seed``, without its expected values
    (drawn in milliseconds; the full plan takes seconds)."""
    cache = PlanCache(cache_dir) if cache_dir else None
    return inputs_only_plan(load_course_data(public_dir, cache), seed=seed).harvest_spec()


def _quietly(work, log) -> None:
    """``work()``, its failure logged: it only prepares, and the run's results stand."""
    began = time.monotonic()
    try:
        work()
    except Exception as exc:  # noqa: BLE001 - the work is redone when it is needed
        log.warning("Preparing for the end of the run failed: %s", describe_error(exc))
    else:
        log.info("Prepared for the end of the run in %.2f s, while the last submissions ran",
                 time.monotonic() - began)


class Run:
    """One grading run's coordinator state."""

    def __init__(self, *, root, assignment, public_dir, state, log_file, report,
                 on_tail=None):
        self.root, self.assignment, self.public_dir = root, assignment, public_dir
        self.state, self.log_file, self.report = state, log_file, report
        self.progress = None
        self.on_tail = on_tail
        self.tail_thread = None
        self.feedback, self.feedback_converter = False, None

    def setup(self, *, force, students, require_sandbox, local, feedback=False) -> list:
        """Load nbgrader as ``nbgrader autograde`` would; return the students to grade."""
        app = load_app(self.root, log_file=self.log_file)
        app.log.info("Student kernels: %s", self.report.sandbox)
        app.coursedir.assignment_id = self.assignment
        db_url = app.coursedir.db_url
        try:
            with Gradebook(db_url) as gradebook:
                gradebook.find_assignment(self.assignment)
        except MissingEntry:
            raise GradeSetupError(_("unknown assignment {assignment!r}: it is not in the "
                                    "gradebook (run `nbgrader generate_assignment "
                                    "{assignment}`)").format(assignment=self.assignment)) \
                from None
        ensure_indexes(db_url)  # every per-student query joins unindexed foreign keys
        configured = app.config.BackpropGrader.get("hidden_seed")
        seed = configured if configured is not None else self.state.seed(self.assignment)
        app.update_config(Config({"BackpropGrader": {"hidden_seed": seed}}))
        self.report.seed = seed

        converter = StudentAutograde(coursedir=app.coursedir, parent=app)
        execute_class, pipeline = split_pipeline(converter.autograde_preprocessors)
        try:
            submitted = converter.start_class(pipeline)
        except NbGraderException:
            raise GradeSetupError(_("no submissions: nothing matches "
                                    "submitted/*/{assignment}/*.ipynb in {course}").format(
                                        assignment=self.assignment, course=self.root)) \
                from None
        excluded = set(filter(None, (app.coursedir.student_id_exclude or "").split(",")))
        submitted = {s: path for s, path in submitted.items() if s not in excluded}
        chosen = sorted(submitted)
        if students:
            unknown = sorted(set(students) - set(submitted))
            if unknown:
                raise GradeSetupError(_("no submission of {assignment!r} for {students}").format(
                    assignment=self.assignment, students=", ".join(unknown)))
            chosen = sorted(set(students))
        self.report.submissions = chosen

        grader = BackpropGrader(parent=converter)
        reference = Path(grader.solutions_dir or "", "reference.py")
        if not grader.solutions_dir or not reference.is_file():
            raise GradeSetupError(_("the reference solutions are missing: {path}").format(
                path=reference))
        if Path(grader.public_dir or "").resolve() != self.public_dir.resolve():
            raise GradeSetupError(_("BackpropGrader.public_dir ({configured}) is not the "
                                    "release of {assignment!r} ({release})").format(
                configured=grader.public_dir, assignment=self.assignment,
                release=self.public_dir))
        if require_sandbox and local:
            problem = sandbox_problem(default_bwrap())
            if problem:
                raise GradeSetupError(_("--require-sandbox: {problem}").format(problem=problem))

        grading = grade_state.fingerprint(course_root=self.root, assignment=self.assignment,
                                          seed=seed, config=app.config)
        self.app, self.converter, self.grader, self.grading = app, converter, grader, grading
        self.execute_class, self.pipeline = execute_class, pipeline
        self.require_sandbox, self.submitted = require_sandbox, submitted
        self.feedback = feedback
        if feedback:  # where and how the feedback folders are written, as nbgrader does
            from nbgrader.converters import GenerateFeedback

            self.feedback_converter = GenerateFeedback(coursedir=app.coursedir,
                                                       config=copy.deepcopy(app.config))
            self.feedback_converter.log = converter.log
        complete = set() if force else grade_state.graded_in_gradebook(db_url, self.assignment)
        # The content hash of a folder to grade anyway is computed when it is sent.
        self.hashes, self.unhashable, todo = {}, {}, []
        for student in chosen:
            if self._up_to_date(student, complete, force):
                continue
            todo.append(student)
        queued = set(todo)
        self.report.up_to_date = [s for s in chosen if s not in queued]
        self.report.order = self.state.longest_first(self.assignment, todo)
        return self.report.order

    def _up_to_date(self, student, complete, force) -> bool:
        """Whether ``student`` was graded with this fingerprint and is unchanged;
        records the folder's signature (and its hash, when it had to be computed)."""
        entry = self.state.entry(self.assignment, student)
        folder = self.submitted[student]
        if force or entry is None or entry.get("fingerprint") != self.grading \
                or student not in complete or not self._outputs_exist(student, entry):
            self.hashes[student] = [None, stat_signature(folder)]
            return False
        try:
            digest, signature = submission_hash(folder, entry)
        except (OSError, ValueError) as exc:  # an odd file: this student only
            self.unhashable[student] = _("its folder could not be read: {error}").format(
                error=describe_error(exc))
            return False
        self.hashes[student] = [digest, signature]
        return digest == entry.get("submission")

    def _hash(self, student) -> None:
        """The content hash of a folder about to be sent (see :meth:`_up_to_date`)."""
        if self.hashes[student][0] is None:
            self.hashes[student][0] = grade_state.tree_hash(self.submitted[student])

    def _outputs_exist(self, student, entry) -> bool:
        """The autograded notebooks are there, and in a run with feedback their pages
        (unless the last run left them to ``nbgrader generate_feedback``)."""
        dest = Path(self.converter._format_dest(self.assignment, student))
        pages = Path(self.feedback_converter._format_dest(self.assignment, student)) \
            if self.feedback and not entry.get("feedback_left") else None
        for notebook in self.converter.notebook_files(student):
            name = os.path.basename(notebook)
            if not (dest / name).is_file():
                return False
            if pages is not None and not (pages / (os.path.splitext(name)[0] + ".html")).is_file():
                return False
        return True

    def _task_budget(self) -> float:
        probe = self.execute_class(config=self.converter.config)
        return probe.submission_timeout + probe.harvest_timeout + TASK_SLACK

    def _late_step(self):
        steps = [c for c in self.pipeline if isinstance(c, type)
                 and issubclass(c, AssignLatePenalties)]
        return steps[0](config=self.app.config, parent=self.converter) if steps else None

    # -- the loop -------------------------------------------------------------------
    def grade(self, todo, pool, progress) -> None:
        gc.freeze()  # what setup loaded lives until the end (see runtime.long_lived_frozen)
        spec = early_harvest_spec(self.public_dir, self.report.seed, self.grader.cache_dir)
        kit = build_kit(self.app, harvest_spec=spec, require_sandbox=self.require_sandbox,
                        feedback=self.feedback)
        pool.start(kit, prestart=len(todo) > pool.capacity)  # local workers are forked here
        self.report.refused_workers = pool.refusing
        plan_builder = PlanBuilder(self.grader, spec, publish=pool.publish_plan)
        plan_builder.start()
        writer = GradebookWriter(self.app.coursedir.db_url, self.assignment,
                                 late_step=self._late_step())
        results = Results(self, writer, progress)
        try:
            self._loop(todo, pool, results, plan_builder)
            results.flush()
        finally:
            writer.close()
            if self.tail_thread is not None:  # done by now, or nearly: the caller goes on
                self.tail_thread.join()
        plan_builder.check()
        self.state.save()

    def _loop(self, todo, pool, results, plan_builder) -> None:
        budget = self._task_budget()
        coursedir = self.app.coursedir
        root = coursedir.format_path(coursedir.submitted_directory, ".", ".")
        reading = dict(notebook_pattern=coursedir.notebook_id + ".ipynb",
                       ignore=list(coursedir.ignore),
                       max_bytes=self.converter.exporter.max_bytes, root=root)
        student_language = assignment_language(self.assignment)
        pending, inflight = deque(todo), {}
        ahead = 2 * pool.capacity
        for student, reason in self.unhashable.items():
            pending.remove(student)
            results.fail(student, reason)
        while pending or inflight:
            while pending and len(inflight) < ahead:
                student = pending.popleft()
                try:
                    self._hash(student)
                except (OSError, ValueError) as exc:  # an odd file: this student only
                    results.fail(student, _("its folder could not be read: {error}").format(
                        error=describe_error(exc)))
                    continue
                try:  # refused as nbgrader autograde with the course's config refuses it
                    check_timestamp(self.submitted[student])
                except SubmissionRefused as exc:
                    results.fail(student, str(exc))
                    continue
                with language(student_language):  # why a notebook was refused: the student's
                    task = read_task(student, self.submitted[student], **reading)
                task.prestart = len(pending) >= pool.capacity
                pool.submit(student, task)
                if not self.report.fixed_cpu:
                    self.report.fixed_cpu = time.process_time()
                now = time.monotonic()
                notebooks = len(task.refused) + sum(1 for rel in task.files
                                                    if "/" not in rel and rel.endswith(".ipynb"))
                inflight[student] = {"submitted": now, "submitted_wall": time.time(),
                                     "deadline": now + budget * max(1, notebooks)
                                     * (1 + len(inflight) // pool.capacity)}
                self._drain(pool, inflight, results, block=False)
            plan_builder.check()
            if not pending and len(inflight) < pool.capacity:
                self._start_tail()
            self._drain(pool, inflight, results, block=True)
            results.flush_if_due(final=not pending and not inflight)
            self._expire(pool, inflight, results)

    def _start_tail(self) -> None:
        """Run ``on_tail`` once, in a thread, now that a worker is idle for good:
        what comes after the run (the class report) prepares on the idle CPU."""
        if self.on_tail is None or self.tail_thread is not None:
            return
        self.tail_thread = threading.Thread(target=_quietly, args=(self.on_tail, self.app.log),
                                            name="backprop-tail")
        self.tail_thread.start()

    def _drain(self, pool, inflight, results, *, block) -> None:
        timeout = 0.2 if block else 0
        while True:
            try:
                tag, future, result, error = pool.done.get(block=block, timeout=timeout or None)
            except queue_module.Empty:
                return
            block = False
            resolved = pool.resolve(tag, future, result, error)
            if resolved is None or tag not in inflight:
                continue
            record, error = resolved
            info = inflight.pop(tag)
            if error is not None:
                results.fail(tag, _("the worker could not execute it: {error}").format(
                    error=describe_error(error)), error)
            elif record.fatal:
                results.flush()
                raise GradeAborted(_("{failure} (while grading {student})").format(
                    failure=record.failure, student=tag))
            else:
                results.add(record, info)

    def _expire(self, pool, inflight, results) -> None:
        now = time.monotonic()
        late = [s for s, info in inflight.items() if now > info["deadline"]]
        for student in late:
            inflight.pop(student)
            results.fail(student, _("its worker did not answer in time"))
        if late:
            results.flush()
            pool.close(kill=True)
            raise GradeAborted(_("a worker stopped answering; the run was stopped "
                                 "({students}); run `backprop grade` again").format(
                                     students=", ".join(late)))
