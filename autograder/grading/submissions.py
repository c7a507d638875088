"""The submitted folders as the coordinator sees them: listed, compared, read.

* :func:`stat_signature` sums up a folder from ``lstat`` alone (names, types,
  sizes, modification and change times, inodes). When it equals the one
  recorded with a student's last grading, the folder is unchanged and its
  content hash is not computed again: checking 30,000 folders reads no file.
  A change time cannot be set back by a user, so no edit goes unseen.
* :func:`read_task` reads one folder into a :class:`~.tasks.Task` for a
  worker: regular files only, never through a symbolic link, within bounds,
  skipping what nbgrader ignores. A notebook that cannot be read this way is
  sent as refused, with the reason the student will see (in the current
  language: the coordinator reads a folder in its student's).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from pathlib import Path

from ..i18n import N_, _
from ..pipeline.submission_folder import link_below
from ..safe_files import FileRefused, read_regular_file
from ..safe_trees import ignored
from . import state as grade_state
from .tasks import Task

#: Bounds on what is read of one submitted folder besides its notebooks.
MAX_FILES = 1000
MAX_DEPTH = 16
MAX_OTHER_BYTES = 256 * 2**20
#: Why a notebook was not read, by :class:`~autograder.safe_files.FileRefused` kind
#: (the student reads it in the feedback, after "could not be read:").
REFUSED = {
    "missing": N_("it does not exist"),
    "unopenable": N_("it could not be opened ({error})"),
    "link": N_("it is a symbolic link, not a file"),
    "special": N_("it is not a regular file"),
    "too_large": N_("it is larger than {megabytes:g} MB"),
}


def refusal(exc: FileRefused) -> str:
    """Why ``exc``'s file was not read, as a whole sentence in the current language."""
    message = REFUSED.get(exc.kind)
    if message is None:
        return f"it {exc}"
    try:
        return _(message).format(**exc.details)
    except (KeyError, ValueError, IndexError):
        return f"it {exc}"


def _entries(folder: str, prefix: str, depth: int, out: list) -> None:
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        if ignored(entry.name, grade_state.HASH_IGNORE):
            continue
        info = entry.stat(follow_symlinks=False)
        rel = prefix + entry.name
        out.append((rel, stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns,
                    info.st_ctime_ns, info.st_ino))
        if stat.S_ISDIR(info.st_mode) and depth < MAX_DEPTH:
            _entries(entry.path, rel + "/", depth + 1, out)


def stat_signature(folder) -> str:
    """A digest of what ``lstat`` says about every entry below ``folder``."""
    entries = []
    try:
        info = os.lstat(folder)
        entries.append(("", stat.S_IFMT(info.st_mode), 0, info.st_mtime_ns, info.st_ctime_ns,
                        info.st_ino))
        if stat.S_ISDIR(info.st_mode):
            _entries(str(folder), "", 0, entries)
    except OSError as exc:
        return f"unreadable: {exc}"
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def submission_hash(folder, recorded: dict | None) -> tuple[str, str]:
    """``(content hash, stat signature)`` of ``folder``; the hash recorded in
    ``recorded`` (a state entry) is reused when the signature is unchanged."""
    signature = stat_signature(folder)
    if recorded and recorded.get("stat") == signature and recorded.get("submission"):
        return recorded["submission"], signature
    return grade_state.tree_hash(folder), signature


def _ignored(rel: str, ignore) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in rel.split("/") for pattern in ignore)


def read_task(student, folder, *, root, notebook_pattern, ignore, max_bytes) -> Task:
    """Student ``student``'s folder ``folder`` (below the submissions ``root``) as a task."""
    folder = os.path.abspath(folder)
    task = Task(student=student, files={})
    through_link = link_below(folder, os.path.normpath(os.path.abspath(root)))
    budget = MAX_OTHER_BYTES
    for rel, path, info in _regular_or_not(folder):
        top_notebook = "/" not in rel and fnmatch.fnmatch(rel, notebook_pattern)
        if top_notebook:
            if through_link:
                task.refused[rel] = _("it is in a folder reached through a symbolic link")
                continue
            try:
                task.files[rel] = read_regular_file(path, max_bytes)
                task.mtimes[rel] = info.st_mtime
            except FileRefused as exc:
                task.refused[rel] = refusal(exc)
            continue
        if through_link or rel.endswith(".ipynb") or _ignored(rel, ignore):
            continue  # nbgrader copies no other notebook and nothing ignored
        if not stat.S_ISREG(info.st_mode) or info.st_size > budget \
                or len(task.files) >= MAX_FILES:
            continue  # links and special files are never copied to autograded/
        try:
            data = read_regular_file(path, budget)
        except FileRefused:
            continue
        task.files[rel] = data
        task.mtimes[rel] = info.st_mtime
        budget -= len(data)
    return task


def _regular_or_not(folder: str, prefix: str = "", depth: int = 0):
    """``(relative path, path, lstat)`` of every entry below ``folder`` but folders."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        rel = prefix + entry.name
        if stat.S_ISDIR(info.st_mode):
            if depth < MAX_DEPTH:
                yield from _regular_or_not(entry.path, rel + "/", depth + 1)
            continue
        yield rel, entry.path, info


def notebooks_in(folder, notebook_pattern) -> list:
    """The notebooks nbgrader grades in ``folder`` (as its glob finds them)."""
    return sorted(str(p) for p in Path(folder).glob(notebook_pattern))
