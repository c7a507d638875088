"""Reading and writing files without trusting them.

* :func:`read_regular_file` reads a file that a student may have made: never
  through a symbolic link, never a FIFO or a device, never more than a bound;
* :func:`read_tree` does the same for every regular file below a folder;
* :func:`atomic_write` replaces a file so that a reader sees the old bytes or
  the new ones, never half of them (write, fsync, rename).

Nothing here imports anything but the standard library, so every layer may
use it.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from pathlib import Path

MiB = 2**20
_NOFOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class FileRefused(Exception):
    """A file that was not read; ``kind`` says why, ``str(exc)`` in words.

    ``kind`` is one of ``missing``, ``unopenable``, ``link``, ``special`` and
    ``too_large``; the words fit after "it ..." ("it is a symbolic link").
    ``details`` holds the values a caller needs to say it in whole sentences in
    the reader's language (this module has no messages of its own): ``error``
    (the system's words, for ``unopenable``) and ``megabytes`` (the bound, for
    ``too_large``).
    """

    def __init__(self, kind: str, reason: str, **details):
        super().__init__(reason)
        self.kind = kind
        self.details = details


def _read_open_file(fd: int, max_bytes: int) -> bytes:
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped after a check
            raise FileRefused("special", "is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused("too_large", f"is larger than {max_bytes / MiB:g} MB",
                          megabytes=max_bytes / MiB)
    return data


def read_regular_file(path, max_bytes: int, *, dir_fd: int | None = None) -> bytes:
    """The bytes of ``path``: a regular file, not a link, at most ``max_bytes``.

    Raises :class:`FileRefused` otherwise."""
    try:
        info = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise FileRefused("missing", "does not exist") from None
    except OSError as exc:
        raise FileRefused("unopenable", f"could not be opened ({exc.strerror})",
                          error=str(exc.strerror)) from None
    if stat.S_ISLNK(info.st_mode):
        raise FileRefused("link", "is a symbolic link, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused("special", "is not a regular file")
    if info.st_size > max_bytes:
        raise FileRefused("too_large", f"is larger than {max_bytes / MiB:g} MB",
                          megabytes=max_bytes / MiB)
    try:
        fd = os.open(path, _NOFOLLOW, dir_fd=dir_fd)
    except OSError as exc:
        raise FileRefused("unopenable", f"could not be opened ({exc.strerror})",
                          error=str(exc.strerror)) from None
    return _read_open_file(fd, max_bytes)


def read_tree(root, max_bytes: int, *, max_files: int = 1000,
              max_depth: int = 16) -> dict[str, bytes]:
    """Regular files below ``root`` as ``{relative path: bytes}``.

    Links are never followed (a hostile kernel may plant one to a host file);
    FIFOs, devices and files beyond the byte budget are skipped. The walk holds
    each folder open by its descriptor, so a folder swapped for a link during
    the walk is not entered."""
    out: dict[str, bytes] = {}
    budget = [max_bytes]
    dir_flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0)
    stack: list[tuple[int, str, int]] = []
    try:
        stack.append((os.open(root, dir_flags), "", 0))
    except OSError:
        return out
    while stack:
        dfd, prefix, depth = stack.pop()
        try:
            names = sorted(os.listdir(dfd), reverse=True)
            for name in names:
                if len(out) >= max_files:
                    break
                try:
                    info = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                    if stat.S_ISDIR(info.st_mode) and depth < max_depth:
                        stack.append((os.open(name, dir_flags, dir_fd=dfd), f"{prefix}{name}/",
                                      depth + 1))
                    elif stat.S_ISREG(info.st_mode) and info.st_size <= budget[0]:
                        data = read_regular_file(name, budget[0], dir_fd=dfd)
                        out[prefix + name] = data
                        budget[0] -= len(data)
                except (OSError, FileRefused):
                    continue
        finally:
            os.close(dfd)
    return {name: out[name] for name in sorted(out)}


def atomic_write(path, data: bytes, *, durable: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically; ``durable`` also fsyncs the file
    and its folder, so the new content survives a power cut."""
    _replace_with(path, lambda handle: handle.write(data), durable=durable)


def atomic_write_json(path, value, *, durable: bool = False, **dump_options) -> None:
    """:func:`atomic_write` of ``json.dumps(value, **dump_options)``, encoded piece by
    piece into the file: the whole text is never in memory (a class's state or
    timings can be megabytes)."""
    def write(handle):
        text = io.TextIOWrapper(handle, encoding="utf-8")
        json.dump(value, text, **dump_options)
        text.flush()
        text.detach()  # the file stays open for the fsync

    _replace_with(path, write, durable=durable)


def _replace_with(path, write, *, durable: bool) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
