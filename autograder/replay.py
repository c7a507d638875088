"""Replay a worker's execution inside nbgrader's own autograde pipeline.

In a parallel run (:mod:`autograder.parallel`) the coordinator runs nbgrader's
real ``Autograde`` converter for each student, with ``GuardedExecute``
swapped for :class:`ReplayExecution`. Instead of starting a kernel, it
installs what a worker returned: the executed notebook, and the harvested
payload, events and skipped cells in ``resources["backprop"]``, exactly as
``GuardedExecute`` leaves them. Every later step (``ApplyVerdicts``,
``LimitOutput``, ``SaveAutoGrades``, late penalties, ...) is nbgrader's or
the course's own and runs unchanged in the coordinator.
"""

import threading
from contextlib import contextmanager

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from .harvest import Payload

_RESULTS = {}
_LOCK = threading.Lock()


class ReplayMismatch(RuntimeError):
    """The executed notebook is not the sanitized notebook being graded."""


@contextmanager
def installed(assignment, student, notebook, result):
    """Make ``result`` (one notebook's part of a worker result) available to
    :class:`ReplayExecution` while the finishing pass runs."""
    key = (assignment, student, notebook)
    with _LOCK:
        _RESULTS[key] = result
    try:
        yield
    finally:
        with _LOCK:
            _RESULTS.pop(key, None)


def _signature(nb):
    return [(cell.cell_type, cell.source) for cell in nb.cells]


class ReplayExecution(NbGraderPreprocessor):
    """Stands where ``GuardedExecute`` stands; installs a worker's execution."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        key = (info["assignment"], info["student"], info["notebook"])
        with _LOCK:
            result = _RESULTS.get(key)
        if result is None:
            raise RuntimeError(f"no execution result for {key}: ReplayExecution only runs "
                               "inside `backprop grade`; use GuardedExecute elsewhere")
        executed = nbformat.reads(result["notebook"], as_version=4)
        if _signature(executed) != _signature(nb):
            raise ReplayMismatch(f"the executed notebook of {key} does not match the "
                                 "sanitized notebook")
        payload = Payload(result.get("payload"), result.get("problem") or "")
        resources.setdefault("backprop", {}).update(
            payload=payload, events=list(result.get("events", [])),
            skipped={int(index): reason for index, reason in result.get("skipped", [])})
        return executed, resources
