"""The submission folder's other files, copied for grading without trusting them.

Before any step of the pipeline runs, nbgrader's autograde copies every file
of ``submitted/<student>/<assignment>/`` into the autograded folder
(``BaseConverter.init_assignment``), and ``generate_feedback`` later copies
them on into the feedback. nbgrader's copy follows links and trusts sizes:

* a link to ``/dev/zero`` copies without end, a FIFO hangs or fails the copy,
  a link to a course file hands that file back with the feedback;
* a sparse file of 1 GiB (40 KB on disk) becomes 1 GiB in ``autograded/``
  and again in ``feedback/``;
* a folder nested 3,000 deep makes its walk raise ``RecursionError``, and a
  ``timestamp.txt`` that is a FIFO or a link to a device hangs it before.

:class:`SubmissionCopy` takes the place of that copy. It walks the folder
with :class:`~autograder.safe_trees.TreeWalk` (every entry judged by
``lstat``, the depth and the number of entries bounded) and copies regular
files only, each within ``max_file_bytes`` by its apparent size and all of
them within ``max_total_bytes``, never through a link; whatever it leaves out
is logged with the reason, and the notebook is graded as usual. It refuses a
submission whose ``timestamp.txt`` nbgrader could not read safely.

:class:`SafeAutograde` is nbgrader's ``Autograde`` with it. ``nbgrader
autograde`` (and the formgrader's button) build their converter from the
name ``Autograde`` of nbgrader's autograde application, which offers no
setting for it: :func:`install` points that name at :class:`SafeAutograde`
when the course's config is loaded. ``backprop grade``'s converter derives
from :class:`SafeAutograde`. Both also sweep, when a run starts, the sandbox
folders of grader processes that died (:mod:`autograder.sandbox.leftovers`).
"""

from __future__ import annotations

import os
import stat

from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from traitlets import Integer

from ..i18n import _
from ..safe_trees import TreeWalk
from ..sandbox.leftovers import sweep

MiB = 2**20
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
#: nbgrader reads this file of the submission itself, before the copy.
TIMESTAMP = "timestamp.txt"


class SubmissionRefused(Exception):
    """The submission cannot be graded safely; ``str(exc)`` says why."""


class SubmissionCopy(BaseConverter):
    """The copy of a submission's files, bounded and never through a link."""

    max_file_bytes = Integer(16 * MiB, help="Largest file of a submission folder copied "
                             "for grading, by its apparent size (a sparse file counts in "
                             "full); larger ones are left out.").tag(config=True)
    max_total_bytes = Integer(64 * MiB, help="Most bytes copied from one submission "
                              "folder.").tag(config=True)
    max_depth = Integer(8, help="Deepest folder level of a submission copied; deeper "
                        "folders are left out.").tag(config=True)
    max_entries = Integer(1000, help="Most entries (files and folders) of a submission "
                          "folder looked at.").tag(config=True)

    def init_destination(self, assignment_id: str, student_id: str) -> bool:
        check_timestamp(self._format_source(assignment_id, student_id))
        return super().init_destination(assignment_id, student_id)

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        """Copy the submission's other files (nbgrader's own step does not run)."""
        source = self._format_source(assignment_id, student_id)
        dest = self._format_dest(assignment_id, student_id)
        walk = TreeWalk(source, max_depth=self.max_depth, max_entries=self.max_entries,
                        skip=list(self.coursedir.ignore) + ["*.ipynb"])
        left_out, total = [], 0
        for entry in walk:
            if entry.kind == "folder":
                if not entry.entered:
                    left_out.append(f"{entry.path}/ (more than {self.max_depth} folders deep)")
                continue
            if entry.kind != "file":
                what = "a symbolic link" if entry.kind == "link" else "not a regular file"
                left_out.append(f"{entry.path} ({what})")
            elif entry.size > self.max_file_bytes:
                left_out.append(f"{entry.path} ({entry.size:,} bytes)")
            elif total + entry.size > self.max_total_bytes:
                left_out.append(f"{entry.path} (over {self.max_total_bytes:,} bytes in all)")
            else:
                try:
                    total += copy_file(source, entry.path, dest, self.max_file_bytes)
                    self.log.info("Copying %s -> %s", os.path.join(source, entry.path),
                                  os.path.join(dest, entry.path))
                except OSError as exc:
                    left_out.append(f"{entry.path} ({exc.strerror or exc})")
        if walk.truncated:
            left_out.append(f"everything after the first {self.max_entries} entries")
        left_out += [f"{path or '.'}/ (unreadable)" for path in walk.unreadable]
        if left_out:
            self.log.warning("Not copied from %s for grading: %s", source, "; ".join(left_out))


def check_timestamp(folder: str) -> None:
    """Refuse a ``timestamp.txt`` that nbgrader would block on or read without end."""
    path = os.path.join(folder, TIMESTAMP)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SubmissionRefused(_("its {file} cannot be read ({error})").format(
            file=TIMESTAMP, error=exc.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        raise SubmissionRefused(_("its {file} is not a regular file").format(file=TIMESTAMP))
    if info.st_size > 4096:
        raise SubmissionRefused(_("its {file} holds {size:,} bytes, not a time").format(
            file=TIMESTAMP, size=info.st_size))


def copy_file(source: str, rel: str, dest: str, max_bytes: int) -> int:
    """Copy the regular file ``source/rel`` to ``dest/rel``, never through a link and
    at most ``max_bytes`` of it; the number of bytes copied."""
    src = os.open(os.path.join(source, rel), _READ)
    try:
        if not stat.S_ISREG(os.fstat(src).st_mode):
            raise OSError(f"{rel} is not a regular file")
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.remove(target)
        copied = 0
        with open(target, "xb") as out:
            while copied < max_bytes:
                chunk = os.read(src, min(MiB, max_bytes - copied))
                if not chunk:
                    break
                out.write(chunk)
                copied += len(chunk)
        return copied
    finally:
        os.close(src)


class SafeAutograde(Autograde, SubmissionCopy):
    """nbgrader's ``Autograde``; its copy of the submission is :class:`SubmissionCopy`'s.

    ``Autograde.init_assignment`` calls the next class's ``init_assignment``
    first, which in this order of classes is :class:`SubmissionCopy`'s."""

    def start(self) -> None:
        sweep(log=self.log)
        super().start()


def install() -> None:
    """Make ``nbgrader autograde`` (and the formgrader) build a :class:`SafeAutograde`."""
    from nbgrader.apps import autogradeapp

    autogradeapp.Autograde = SafeAutograde
