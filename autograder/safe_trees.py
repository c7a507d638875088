"""Folders that a student may have made: walked and removed without trusting them.

* :func:`walk_tree` lists what is below a folder, judging every entry by
  ``lstat`` (a link is a link, never what it points to), with a bound on the
  depth and on the number of entries, without recursion;
* :func:`remove_tree` removes a folder and everything below it, however deep,
  without recursion, without following links and without path-length limits.

Python's own ``os.walk`` and ``shutil.rmtree`` recurse once per level (3.11):
a folder nested a few thousand deep raises ``RecursionError`` in both.

Nothing here imports anything but the standard library, so every layer may
use it.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class TreeEntry:
    """One entry below the walked folder, as ``lstat`` describes it."""

    path: str        # relative to the walked folder, "/"-separated
    mode: int
    size: int        # apparent size in bytes (a sparse file's full length)
    mtime_ns: int
    entered: bool = True  # for a folder: False when the depth bound kept the walk out

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def kind(self) -> str:
        """``file``, ``folder``, ``link`` or ``special`` (FIFO, device, socket)."""
        if stat.S_ISREG(self.mode):
            return "file"
        if stat.S_ISDIR(self.mode):
            return "folder"
        if stat.S_ISLNK(self.mode):
            return "link"
        return "special"


def ignored(name: str, patterns) -> bool:
    """Whether ``name`` matches one of the glob ``patterns``, as ``glob`` matches
    it (a leading dot is matched only by a pattern that starts with one)."""
    return any(fnmatch.fnmatchcase(name, pattern)
               and not (name.startswith(".") and not pattern.startswith("."))
               for pattern in patterns)


class TreeWalk:
    """Iterate over the entries below ``root`` depth first, each folder right before
    what it holds, the names of a folder in sorted order.

    Folders deeper than ``max_depth`` below ``root`` are listed (``entered``
    False) but not opened; the walk ends after ``max_entries`` entries and then
    sets ``truncated``. Entries whose name matches ``skip`` are left out, and
    so is everything below a skipped folder. An entry that disappears or
    cannot be read during the walk is left out too; ``unreadable`` lists the
    folders that could not be opened. At most ``max_depth`` folders are open
    at a time, each opened through its parent, never through a link.
    """

    def __init__(self, root, *, max_depth: int = 32, max_entries: int = 10_000, skip=()):
        self.root = os.fspath(root)
        self.max_depth, self.max_entries, self.skip = max_depth, max_entries, tuple(skip)
        self.truncated = False
        self.unreadable: list[str] = []

    def _listing(self, fd: int, prefix: str):
        try:
            return iter(sorted(os.listdir(fd)))
        except OSError:
            self.unreadable.append(prefix.rstrip("/"))
            return iter(())

    def __iter__(self):
        try:
            top = os.open(self.root, _DIR_FLAGS)
        except OSError:
            self.unreadable.append("")
            return
        # one level per open folder: (its descriptor, its path with "/", its names left)
        levels = [(top, "", self._listing(top, ""))]
        count = 0
        try:
            while levels:
                fd, prefix, names = levels[-1]
                name = next(names, None)
                if name is None:
                    os.close(levels.pop()[0])
                    continue
                if ignored(name, self.skip):
                    continue
                try:
                    info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                except OSError:
                    continue
                if count >= self.max_entries:
                    self.truncated = True
                    return
                count += 1
                folder = stat.S_ISDIR(info.st_mode)
                enter = folder and len(levels) < self.max_depth
                yield TreeEntry(prefix + name, info.st_mode, info.st_size, info.st_mtime_ns,
                                entered=enter or not folder)
                if enter:
                    try:
                        inner = os.open(name, _DIR_FLAGS, dir_fd=fd)
                    except OSError:
                        self.unreadable.append(prefix + name)
                        continue
                    levels.append((inner, f"{prefix}{name}/", self._listing(inner, prefix + name)))
        finally:
            for fd, _, _ in levels:
                os.close(fd)


def walk_tree(root, **limits) -> list[TreeEntry]:
    """Every entry :class:`TreeWalk` yields below ``root``, as a list."""
    return list(TreeWalk(root, **limits))


def _clear_folder(fd: int) -> list[str]:
    """Unlink everything in the open folder ``fd`` but its sub-folders; their names."""
    folders = []
    for name in os.listdir(fd):
        try:
            if stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                folders.append(name)
                continue
            try:
                os.unlink(name, dir_fd=fd)
            except PermissionError:  # a folder its owner made read-only
                os.fchmod(fd, 0o700)
                os.unlink(name, dir_fd=fd)
        except FileNotFoundError:
            continue
    return folders


def _open_folder(name: str, parent_fd: int) -> int:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
    except PermissionError:  # a folder its owner made unreadable: as its owner, allow it
        os.chmod(name, 0o700, dir_fd=parent_fd)
        return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)


def remove_tree(path) -> None:
    """Remove ``path`` (a folder and everything below it, or a single entry).

    Depth-first with two folders open at a time, each entered by a descriptor
    relative to its parent, so neither the depth nor the length of the paths
    matters, and links are removed, never followed. Going back up, every
    folder is checked to be the one that was entered (by device and inode),
    so a folder moved during the removal stops it instead of leading it
    astray. Missing is fine; other failures raise ``OSError``.
    """
    path = os.fspath(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(path)
        return
    fd = os.open(path, _DIR_FLAGS)
    try:
        # (name in its parent, (device, inode), sub-folders still to remove)
        levels = [("", (info.st_dev, info.st_ino), _clear_folder(fd))]
        while True:
            name, ident, pending = levels[-1]
            if pending:
                child_name = pending.pop()
                try:
                    child = _open_folder(child_name, fd)
                except FileNotFoundError:
                    continue
                except NotADirectoryError:  # swapped for something else meanwhile
                    os.unlink(child_name, dir_fd=fd)
                    continue
                child_info = os.fstat(child)
                os.close(fd)
                fd = child
                levels.append((child_name, (child_info.st_dev, child_info.st_ino),
                               _clear_folder(fd)))
                continue
            if len(levels) == 1:
                break
            levels.pop()
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            parent_info = os.fstat(fd)
            if (parent_info.st_dev, parent_info.st_ino) != levels[-1][1]:
                raise OSError(f"a folder below {path} was moved while it was being removed")
            os.rmdir(name, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(path)
