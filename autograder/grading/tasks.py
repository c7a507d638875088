"""What a worker gets for one submission, packed as plain data.

A :class:`Task` carries one student's submitted folder as the coordinator
read it: the regular files (never through a link, never a FIFO or device,
within bounds), the notebooks it refused to read and why, and the files'
modification times. Everything the run shares (configuration, gradebook
replica, release, plan) travels once per worker instead (:mod:`.kit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..i18n import _


@dataclass
class Task:
    """One student's submission, ready to grade anywhere."""

    student: str
    files: dict                                  # relative path -> bytes
    refused: dict = field(default_factory=dict)  # notebook's relative path -> reason
    mtimes: dict = field(default_factory=dict)   # relative path -> st_mtime
    #: whether the worker should start a kernel for a next submission
    prestart: bool = True


def write_public_files(files: dict, dest: str) -> None:
    """Write ``{relative path: bytes}`` below ``dest``, refusing unsafe names."""
    for rel, data in files.items():
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            raise ValueError(_("unsafe file name: {name!r}").format(name=rel))
        path = Path(dest, *parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
