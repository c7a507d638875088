"""Everything a worker needs to grade any submission of one run: the kit.

A :class:`CourseKit` is built once per run by the coordinator and sent to each
worker once (broadcast by Dask's ``scatter``, or inherited by forked local
workers): the course's nbgrader configuration as loaded for the run, a replica
of the assignment's gradebook rows (:mod:`.replica`), the assignment's release
files (what the sandbox copies, and the blank notebook that stands in for an
unreadable one) and the source files nbgrader copies into every autograded
folder, and the plan's harvest spec. The plan itself (with the expected
values) follows as soon as it is built (:mod:`.shared`).

The kit never holds ``solutions/``, a student's data or the gradebook's grades.
"""

from __future__ import annotations

import fnmatch
import pickle
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n
from ..i18n import _
from ..safe_files import read_tree
from .replica import replica_bytes

#: The most bytes of course files a kit carries.
MAX_COURSE_BYTES = 256 * 2**20


class KitError(RuntimeError):
    """The run's configuration cannot be sent to a worker."""


@dataclass
class CourseKit:
    """What a worker needs for every submission of one run."""

    assignment: str
    course_id: str
    config: object                     # the run's traitlets Config
    gradebook: bytes                   # the replica (SQLite file)
    release: dict                      # release/<assignment>/: relative path -> bytes
    source: dict                       # source/<assignment>/ files nbgrader copies
    harvest_spec: dict
    require_sandbox: bool = False
    #: Whether each worker also writes the submission's feedback page (``--feedback``).
    feedback: bool = False
    #: The instructor's language (the coordinator's): what a worker writes in a failed
    #: submission's reason. What the students read follows their assignment instead.
    language: str = i18n.DEFAULT
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def dumps(self) -> bytes:
        """The kit as bytes for a process that did not inherit it.

        The course config may hold classes defined in ``nbgrader_config.py``
        itself, which plain pickle cannot send; cloudpickle (installed with
        Dask) sends them by value."""
        try:
            return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            try:
                import cloudpickle
            except ImportError:
                raise KitError(_("the course configuration cannot be sent to a worker "
                                 "process ({error}); install cloudpickle").format(
                                     error=exc)) from None
            return cloudpickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


def _ignored(name: str, ignore) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in ignore)


def source_files(coursedir, assignment) -> dict:
    """The files of ``source/<assignment>/`` that nbgrader may copy into an
    autograded folder: all but notebooks (the instructor's, with solutions) and
    ignored names. The worker's nbgrader chooses among them as it always does."""
    folder = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    ignore = list(coursedir.ignore) + ["*.ipynb"]
    files = read_tree(folder, MAX_COURSE_BYTES)
    return {rel: data for rel, data in files.items()
            if not any(_ignored(part, ignore) for part in Path(rel).parts)}


def release_files(coursedir, assignment) -> dict:
    folder = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    files = read_tree(folder, MAX_COURSE_BYTES)
    return {rel: data for rel, data in files.items()
            if not any(part in (".ipynb_checkpoints", "__pycache__")
                       for part in Path(rel).parts)}


def build_kit(app, *, harvest_spec, require_sandbox=False, feedback=False) -> CourseKit:
    """The kit of the run whose nbgrader application is ``app``."""
    coursedir = app.coursedir
    assignment = coursedir.assignment_id
    return CourseKit(
        assignment=assignment, course_id=coursedir.course_id, config=app.config,
        gradebook=replica_bytes(coursedir.db_url, assignment, coursedir.course_id),
        release=release_files(coursedir, assignment),
        source=source_files(coursedir, assignment),
        harvest_spec=harvest_spec, require_sandbox=require_sandbox, feedback=feedback,
        language=i18n.current())
