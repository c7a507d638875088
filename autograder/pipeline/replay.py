"""Replay a worker's execution inside nbgrader's own autograde pipeline.

In a parallel run (:mod:`autograder.grading.coordinator`) the coordinator
runs nbgrader's real ``Autograde`` converter for each student, with
``GuardedExecute`` swapped for :class:`ReplayExecution`. Instead of starting
a kernel, it installs what a worker returned, an
:class:`~autograder.plan.execution.Execution` carrying the executed notebook,
exactly as ``GuardedExecute`` leaves it. Every later step (``ApplyVerdicts``,
``LimitOutput``, ``SaveAutoGrades``, late penalties, ...) is nbgrader's or
the course's own and runs unchanged in the coordinator.

The converter puts the record in the notebook's ``resources`` under
:data:`REPLAY_KEY` (see
:meth:`autograder.grading.converter.StudentAutograde.finish`).
"""

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from ..i18n import _
from ..plan.execution import Execution

REPLAY_KEY = "backprop_replay"


class ReplayMismatch(RuntimeError):
    """The executed notebook is not the sanitized notebook being graded."""


def _signature(nb):
    return [(cell.cell_type, cell.source) for cell in nb.cells]


class ReplayExecution(NbGraderPreprocessor):
    """Stands where ``GuardedExecute`` stands; installs a worker's execution."""

    def preprocess(self, nb, resources):
        execution = resources.get(REPLAY_KEY)
        if not isinstance(execution, Execution):
            key = resources.get("nbgrader", {})
            raise RuntimeError(_("no execution result for {key}: ReplayExecution only runs "
                                 "inside `backprop grade`; use GuardedExecute elsewhere").format(
                                     key=key))
        executed = nbformat.reads(execution.notebook, as_version=4)
        if _signature(executed) != _signature(nb):
            info = resources.get("nbgrader", {})
            raise ReplayMismatch(_("the executed notebook of {student} does not match the "
                                   "sanitized notebook").format(student=info.get("student")))
        execution.store(resources)
        return executed, resources
