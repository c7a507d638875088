"""The folder ``backprop demo`` builds its course in, and its mark on it.

The demo writes a whole course (config, sources, gradebook, submissions,
grades) and throws away what an earlier demo run left. It must never do that
to a course an instructor made, so it builds only

* in a folder that is new or empty, or
* in a folder an earlier demo run made: that folder holds the demo's mark,
  ``.backprop-demo``, naming what the demo created there.

A rebuild deletes only what the mark names (links are removed, never
followed); anything else in the folder is kept. Any other folder is refused
before anything is touched.
"""

import json
import os
import shutil
from pathlib import Path

from ..workspace.folder import CourseError

MARK_FILE = ".backprop-demo"
MADE_BY = "backprop demo"
#: What a demo run creates at the top of its folder (the mark lists what it actually made).
DEMO_ENTRIES = ("nbgrader_config.py", "source", "solutions", "release", "gradebook.db",
                "submitted", "autograded", "feedback", "grades.csv", "autograde.log",
                ".backprop")


class DemoFolderError(CourseError):
    """The folder is not one the demo may build in; ``str(exc)`` says why."""


def _valid_name(name) -> bool:
    return (isinstance(name, str) and name not in ("", ".", "..", MARK_FILE)
            and "/" not in name and "\0" not in name)


def made_by_demo(folder: Path) -> set | None:
    """The names the demo's mark in ``folder`` lists, or ``None`` without a valid mark."""
    mark = folder / MARK_FILE
    try:
        if not mark.is_file() or mark.is_symlink() or mark.stat().st_size > 2**16:
            return None
        data = json.loads(mark.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("made_by") != MADE_BY:
        return None
    entries = data.get("entries")
    if not isinstance(entries, list):
        return None
    return {name for name in entries if _valid_name(name)}


def write_mark(folder: Path, entries) -> None:
    text = json.dumps({"made_by": MADE_BY, "entries": sorted(entries)}, indent=1)
    (folder / MARK_FILE).write_text(text + "\n", encoding="utf-8")


def _remove(path: Path) -> None:
    """Delete ``path``: a link or file is unlinked, a real folder removed with its content."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path)


def prepare(folder: Path) -> set:
    """Make ``folder`` ready for a demo build and mark it; return the names in it
    that the demo did not make (they are kept). Raises :class:`DemoFolderError`,
    touching nothing, for a folder that is neither new, empty nor the demo's."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise DemoFolderError(f"{folder} is not a folder; choose a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    present = set(os.listdir(folder))
    if not present:
        kept = set()
    else:
        made = made_by_demo(folder)
        if made is None:
            raise DemoFolderError(f"{folder} is not empty and was not made by `backprop demo`; "
                                  "it was left untouched: choose a new or empty folder")
        for name in sorted(made & present):
            _remove(folder / name)
        kept = present - made - {MARK_FILE}
    # Marked before anything is built, so that a run that stops half-way can be redone.
    write_mark(folder, set(DEMO_ENTRIES) - kept)
    return kept


def finish(folder: Path, kept: set) -> None:
    """Record everything the demo made in ``folder`` (all but ``kept`` and the mark)."""
    write_mark(folder, set(os.listdir(folder)) - kept - {MARK_FILE})
