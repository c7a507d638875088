"""nbgrader's ``Autograde`` converter, one student at a time, in two halves.

``nbgrader autograde`` loops over students and, for each, sanitizes the
notebook and then runs the autograde pipeline (which executes it). A
``backprop grade`` worker needs the two halves apart, with the course's
execution step run in between on its own:

* :meth:`StudentAutograde.prepare` is nbgrader's own per-student start
  (``init_destination`` with ``--force``, the pre-convert hook,
  ``init_assignment``: student and submission rows, timestamps, source files)
  and its sanitize pass; it returns the sanitized notebooks' JSON;
* :meth:`StudentAutograde.finish` runs nbgrader's autograde pass over the
  sanitized notebook with ``GuardedExecute`` replaced by
  :class:`~autograder.pipeline.replay.ReplayExecution`, then sets permissions
  and runs the post-convert hook;
* :meth:`StudentAutograde.start_class` is nbgrader's search for submissions
  (the coordinator's), :meth:`StudentAutograde.adopt` hands a worker's
  converter one student's files instead.

A worker's converter works in a private course folder against a gradebook
replica (:mod:`autograder.grading.worker_session`); the coordinator's finds
the submissions and sets nbgrader's permissions on what it writes. The
nbgrader application is built as ``nbgrader autograde`` builds it, so the
same config files are read.
"""

import logging
import os
import re
from pathlib import Path

import sqlalchemy
from nbconvert.writers import FilesWriter
from nbgrader import utils
from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.converters.base import BaseConverter
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError
from traitlets.utils.importstring import import_item

from ..i18n import _
from ..pipeline.apply_verdicts import PLAN_KEY
from ..pipeline.guarded_execute import GuardedExecute
from ..pipeline.replay import REPLAY_KEY, ReplayExecution
from ..pipeline.submission_copy import SafeAutograde
from ..sandbox.leftovers import sweep

#: Errors after which nbgrader itself stops the whole run.
FATAL_ERRORS = (sqlalchemy.exc.OperationalError, SchemaTooOldError, SchemaTooNewError)


class SetupError(RuntimeError):
    """The course, its config or the assignment cannot be graded at all."""


def load_app(course_root, *, log_file=None) -> AutogradeApp:
    """An ``AutogradeApp`` configured exactly as ``nbgrader autograde`` in ``course_root``."""
    here = os.getcwd()
    os.chdir(course_root)
    try:
        app = AutogradeApp()
        try:
            app.initialize([])
        except SystemExit as exc:
            raise SetupError(_("nbgrader could not load the configuration of {course}").format(
                course=course_root)) from exc
    finally:
        os.chdir(here)
    if log_file is not None:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("[%(name)s %(asctime)s %(levelname)s] %(message)s"))
        app.log.handlers[:] = [handler]
        app.log.propagate = False
        app.log.setLevel(logging.INFO)
    return app


def _as_class(item):
    return import_item(item) if isinstance(item, str) else item


def split_pipeline(preprocessors):
    """``(execute class, pipeline with it replaced by ReplayExecution)``."""
    classes = [_as_class(item) for item in preprocessors]
    found = [c for c in classes if isinstance(c, type) and issubclass(c, GuardedExecute)]
    if len(found) != 1:
        raise SetupError(_("the course config's Autograde.autograde_preprocessors must hold "
                           "exactly one GuardedExecute step (see autograder/pipeline/setup.py); "
                           "it holds {steps}").format(
                               steps=[getattr(c, "__name__", c) for c in classes]))
    return found[0], [ReplayExecution if c is found[0] else c for c in classes]


class StudentAutograde(SafeAutograde):
    """The course's ``Autograde`` (:class:`~autograder.pipeline.submission_copy.SafeAutograde`)
    with per-student ``prepare`` and ``finish``."""

    def start_class(self, execute_class_pipeline) -> dict:
        """Find the submissions and set up the writer and exporter, as ``start``
        does. Returns ``{student: submitted folder}``."""
        sweep(log=self.log)
        self.setup_pipeline(execute_class_pipeline)
        self.init_notebooks()
        regexp = self._format_source("(?P<assignment_id>.*)", "(?P<student_id>.*)", escape=True)
        for folder in sorted(self.assignments):
            match = re.match(regexp, folder)
            if match is None:
                raise SetupError(_("could not match {folder!r} with {pattern!r}").format(
                    folder=folder, pattern=regexp))
            self._submitted[match.group("student_id")] = folder
        return dict(self._submitted)

    def setup_pipeline(self, execute_class_pipeline) -> None:
        """The writer, the exporter and the steps, as ``start`` sets them up."""
        self.autograde_preprocessors = execute_class_pipeline
        self.writer = FilesWriter(parent=self, config=self.config)
        self.exporter = self.exporter_class(parent=self, config=self.config)
        for pp in self.preprocessors:
            self.exporter.register_preprocessor(pp)
        self._submitted, self._notebooks_of, self._replaying = {}, {}, {}
        self.assignments = {}
        self.plan = None

    def adopt(self, student, notebooks) -> None:
        """Grade ``student``'s ``notebooks`` (paths in the submitted folder) next,
        as if :meth:`start_class` had found them."""
        folder = os.path.dirname(notebooks[0])
        self._submitted[student] = folder
        self.assignments = {folder: list(notebooks)}

    def forget(self, student) -> None:
        folder = self._submitted.pop(student, None)
        self.assignments.pop(folder, None)
        self._notebooks_of.pop(student, None)

    @property
    def assignment_id(self) -> str:
        return self.coursedir.assignment_id

    def notebook_files(self, student) -> list:
        return sorted(self.assignments[self._submitted[student]])

    def prepare(self, student) -> dict:
        """nbgrader's per-student start and sanitize pass.

        Returns ``{notebook_id: sanitized notebook JSON}``; ``None`` if nbgrader
        would skip the student (``CourseDirectory.student_id_exclude``).
        """
        assignment = self.assignment_id
        self.notebooks = self.notebook_files(student)
        self.force = True  # the caller decided that this submission is (re)graded
        if not self.init_destination(assignment, student):
            return None
        self.run_pre_convert_hook()
        self.init_assignment(assignment, student)
        self.after_init(student)
        self._notebooks_of[student] = list(self.notebooks)
        dest = self._format_dest(assignment, student)
        sanitized = {}
        for filename in self.notebooks:
            self.log.info("Sanitizing %s", filename)
            self._sanitizing = True
            self._init_preprocessors()
            BaseConverter.convert_single_notebook(self, filename)
            name = os.path.basename(filename)
            sanitized[os.path.splitext(name)[0]] = Path(dest, name).read_text(encoding="utf-8")
        return sanitized

    def after_init(self, student) -> None:
        """Called once nbgrader has made the student's rows, before any notebook."""

    def init_single_notebook_resources(self, notebook_filename: str) -> dict:
        """nbgrader's resources, with the execution of the notebook being finished
        (for :class:`~autograder.pipeline.replay.ReplayExecution`) and the run's
        plan (for :class:`~autograder.pipeline.apply_verdicts.ApplyVerdicts`)."""
        resources = super().init_single_notebook_resources(notebook_filename)
        if not self._sanitizing and resources["unique_key"] in self._replaying:
            resources[REPLAY_KEY] = self._replaying[resources["unique_key"]]
            if self.plan is not None:
                resources[PLAN_KEY] = self.plan
        return resources

    def finish(self, student, results: dict) -> None:
        """nbgrader's autograde pass, replaying the worker's ``results``
        (``{notebook_id: Execution}``, each with its executed notebook)."""
        assignment = self.assignment_id
        self.notebooks = self._notebooks_of[student]
        dest = self._format_dest(assignment, student)
        for filename in self.notebooks:
            name = os.path.basename(filename)
            notebook_id = os.path.splitext(name)[0]
            path = os.path.join(dest, name)
            self.log.info("Autograding %s", path)
            self._replaying = {notebook_id: results[notebook_id]}
            self._sanitizing = False
            self._init_preprocessors()
            try:
                with utils.setenv(NBGRADER_EXECUTION="autograde"):
                    BaseConverter.convert_single_notebook(self, path)
            finally:
                self._sanitizing = True
                self._replaying = {}
        self.set_permissions(assignment, student)
        self.run_post_convert_hook()
        self._notebooks_of.pop(student, None)
