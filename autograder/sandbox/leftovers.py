"""Whose sandbox is this? Names that say, and the sweep of those whose grader died.

Every sandbox folder, and its CPU group, is named
``autograder-sbx-<pid>-<start>-<random>`` after the grader process that made
it: its pid and its start time (in clock ticks since boot, from ``/proc``),
which together name one process for ever (a pid alone is reused). A grader
that is killed (``kill -9``, out of memory, a power cut on a worker) leaves
its folders behind; :func:`sweep` removes those whose maker is gone, and only
those: a folder of a grader still running, on this course or any other, is
left alone, and so is any folder named otherwise.
"""

from __future__ import annotations

import os
import re
import tempfile

from ..safe_trees import remove_tree
from .cpu_share import CpuShare, usable_hierarchy

PREFIX = "autograder-sbx-"
_OWNED = re.compile(re.escape(PREFIX) + r"(\d+)-(\d+)-[^/]+\Z")


def process_start(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), or None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def owner_prefix() -> str:
    """The name prefix of this process's sandbox folders."""
    return f"{PREFIX}{os.getpid()}-{process_start(os.getpid()) or 0}-"


def maker_is_gone(name: str) -> bool:
    """Whether ``name`` is a sandbox's name whose grader process no longer runs.

    False for other names, and wherever processes cannot be looked up."""
    match = _OWNED.match(name)
    if match is None or not os.path.isdir("/proc/self"):
        return False
    pid, start = int(match.group(1)), int(match.group(2))
    return process_start(pid) != start


def sweep(tmp_dir: str | None = None, log=None) -> list[str]:
    """Remove the sandbox folders (and CPU groups) whose grader process died.

    Returns what was removed. A folder that cannot be removed is logged and
    left for the next sweep."""
    removed = []
    tmp_dir = tmp_dir or tempfile.gettempdir()
    places = [(tmp_dir, remove_tree)]
    hierarchy = usable_hierarchy()
    if hierarchy is not None:
        places.append((hierarchy[1], lambda path: CpuShare(hierarchy[0], path).remove()))
    for folder, remove in places:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in sorted(names):
            if not maker_is_gone(name):
                continue
            path = os.path.join(folder, name)
            try:
                if remove(path) is False:
                    raise OSError("processes are still running in it")
            except OSError as exc:
                if log is not None:
                    log.warning("Could not remove the stale sandbox %s: %s", path, exc)
                continue
            removed.append(path)
    if removed and log is not None:
        log.info("Removed %d sandbox folder(s) and group(s) of grader processes that "
                 "died: %s", len(removed), ", ".join(removed))
    return removed
