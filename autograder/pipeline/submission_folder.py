"""The submission folder as nbgrader sees it: links on the way to it, links and special
files in it."""
from __future__ import annotations

import os

from ..safe_trees import TreeWalk


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
    nor plain folders (symbolic links, FIFOs, devices, sockets); the walk is
    bounded (:class:`~autograder.safe_trees.TreeWalk`), never recursive."""
    return [entry.path for entry in TreeWalk(folder) if entry.kind in ("link", "special")]
