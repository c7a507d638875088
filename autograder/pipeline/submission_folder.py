"""The submission folder as nbgrader copies it: links and special files in it."""
from __future__ import annotations

import os
import stat


def link_below(path: str, root: str) -> str | None:
    """The first symbolic link on the way from ``root`` (excluded) down to ``path``."""
    rel = os.path.relpath(path, root)
    if rel.startswith(os.pardir):
        return None
    current = root
    for part in rel.split(os.sep):
        current = os.path.join(current, part)
        if os.path.islink(current):
            return current
    return None


def not_plain_files(folder: str) -> list[str]:
    """Relative paths of the entries below ``folder`` that are neither plain files
    nor plain folders (symbolic links, FIFOs, devices, sockets)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(os.path.relpath(path, folder))
    return found
