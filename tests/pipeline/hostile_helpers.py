"""What the hostile corpus test uses to set up, watch and inspect a grading run.

Everything that looks at a folder the corpus made walks it without recursion
and reads no file without a bound: a case's folder may hold a link to
``/dev/zero``, a FIFO, a 1 GiB sparse file or a folder nested 3,000 deep.
"""
from __future__ import annotations

import hashlib
import os
import socket
import stat
import threading
import time
from pathlib import Path

from autograder.safe_trees import TreeWalk

MiB = 2**20
#: How much of a file is read when it is scanned or hashed.
READ_LIMIT = 64 * MiB
#: How deep the test looks into a folder the corpus made.
DEPTH = 100


class Listener:
    """Accepts (and records) connections on a socket until stopped."""

    def __init__(self, family, address):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind(address)
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.address = self.sock.getsockname()
        self.connections = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections.append(peer)
            conn.close()

    def stop(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def write_submission(folder: Path, built, notebook_name: str) -> None:
    """Write what a case's ``build`` returned into ``folder``."""
    import nbformat

    notebook, extra = built if isinstance(built, tuple) else (built, {})
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / notebook_name
    if isinstance(notebook, (bytes, bytearray)):
        target.write_bytes(bytes(notebook))
    elif notebook is not None:
        nbformat.write(notebook, str(target))
    for name, content in extra.items():
        path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes)
                            else os.fsencode(name))
        if hasattr(content, "make"):
            content.make(path)
        elif isinstance(content, bytes):
            with open(path, "wb") as handle:
                handle.write(content)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(content)


def _read_bounded(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        return os.read(fd, READ_LIMIT)
    finally:
        os.close(fd)


def file_digests(root: Path) -> dict:
    """``{relative path: description}`` of everything below ``root``: a regular file
    by a sha256 of (at most the first 64 MiB of) its bytes and its size, a link by
    its target, anything else by its type."""
    out = {}
    for entry in TreeWalk(root, max_depth=DEPTH, max_entries=1_000_000):
        path = os.path.join(root, entry.path)
        if entry.kind == "file":
            out[entry.path] = f"{hashlib.sha256(_read_bounded(path)).hexdigest()} {entry.size}"
        elif entry.kind == "link":
            out[entry.path] = "link -> " + os.readlink(path)
        else:
            out[entry.path] = f"{entry.kind} {stat.S_IFMT(entry.mode)}"
    return out


def secrets_in(root: Path, secret_texts) -> list:
    """Every secret found in a file below ``root``, and every link there."""
    found = []
    for entry in TreeWalk(root, max_depth=DEPTH, max_entries=1_000_000):
        path = os.path.join(root, entry.path)
        if entry.kind == "link":
            found.append(f"{path} is a symbolic link")
        elif entry.kind == "file":
            data = _read_bounded(path)
            found += [f"{text!r} in {path}" for text in secret_texts if text.encode() in data]
    return found


def folder_bytes(root: Path) -> int:
    """The apparent size of the regular files below ``root`` (a sparse file in full)."""
    if not os.path.isdir(root):
        return 0
    return sum(entry.size for entry in TreeWalk(root, max_depth=DEPTH, max_entries=1_000_000)
               if entry.kind == "file")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace")
    except OSError:
        return ""


def _memory(pid: int, field: str, source: str = "status") -> int:
    """A memory field (``VmHWM``, ``VmRSS``, ``Pss``...) of process ``pid``, in bytes."""
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class PeakMemory:
    """The memory of a grader process and of the Python workers it starts, sampled
    from ``/proc`` until :meth:`stop`.

    ``main``: the peak of the process itself (VmHWM, exact). ``processes``: the
    largest resident size seen of each process (a forked worker's VmHWM starts at
    its parent's, so it is sampled instead). ``total``: the largest sum, at one
    moment, of their proportional sizes (Pss: pages a worker shares with its parent
    count once), i.e. the grader's memory as a whole. A process is counted once
    seen twice, so a fork about to become something else is not. Sandboxed kernels
    (below ``bwrap``) and the helpers with limits of their own are not the grader.
    ``ru_maxrss`` would not do: a child's holds the forked test process's peak, and
    every descendant's that it waited for."""

    NOT_GRADER = ("bwrap", "cgroup.procs", "json_bounds.py")

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.main, self.total = 0, 0
        self.processes: dict[int, int] = {}
        self.commands: dict[int, str] = {}
        self._seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _grader_processes(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            command = _command(pid)
            if pid != self.pid and (not command or any(mark in command
                                                       for mark in self.NOT_GRADER)):
                continue
            found.append(pid)
            self.commands.setdefault(pid, command[:120])
            todo += _children(pid)
        return found

    def _sample(self):
        while not self._stop.is_set():
            self.main = max(self.main, _memory(self.pid, "VmHWM"))
            current, total = self._grader_processes(), 0
            for pid in current:
                if pid == self.pid or pid in self._seen:
                    self.processes[pid] = max(self.processes.get(pid, 0),
                                              _memory(pid, "VmRSS"))
                    total += _memory(pid, "Pss", "smaps_rollup")
            self._seen = set(current)
            self.total = max(self.total, total)
            time.sleep(self.interval)

    def stop(self) -> "PeakMemory":
        self._stop.set()
        self._thread.join(5)
        return self


def sandbox_processes(roots) -> list:
    """Live processes of this run's sandboxes (their command lines name the sandbox
    folder; forked children inherit it). Other graders on the machine are ignored."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        cmdline = _command(int(pid))
        if any(root in cmdline for root in roots):
            found.append(f"{pid}: {cmdline[:160]}")
    return found
