"""The language a submission's messages are written in: its assignment's.

Every step that writes messages for one submission (the run's notes in
:class:`~.guarded_execute.GuardedExecute`, the verdicts of
:class:`~.apply_verdicts.ApplyVerdicts`, the cell-failure explanations, the
loss plot, the feedback page of :class:`~.feedback.FeedbackExporter`) runs
inside :func:`submission_language`. nbgrader names the assignment in
``resources["nbgrader"]["assignment"]``; each edition of the course has its
language (:func:`autograder.core.course.assignment_language`: ``backprop`` is
English, ``backprop_zh`` Chinese).

A step called without an assignment (``backprop check``, a worker that was not
told one) keeps its caller's language: the caller set it.
"""

from __future__ import annotations

from contextlib import contextmanager

from .. import i18n
from ..core.course import assignment_language


def assignment_of(resources) -> str | None:
    """The assignment nbgrader names in ``resources``, or ``None``."""
    info = resources.get("nbgrader") if isinstance(resources, dict) else None
    assignment = info.get("assignment") if isinstance(info, dict) else None
    return assignment if isinstance(assignment, str) and assignment else None


def language_of(resources) -> str:
    """The language of the submission in ``resources``; the caller's without an assignment."""
    assignment = assignment_of(resources)
    return i18n.current() if assignment is None else assignment_language(assignment)


@contextmanager
def submission_language(resources):
    """Within this block, messages are in the language of the submission in ``resources``."""
    with i18n.language(language_of(resources)) as code:
        yield code
