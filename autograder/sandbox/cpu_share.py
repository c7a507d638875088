"""A CPU share of its own for each sandboxed kernel: a cgroup with a CPU quota.

Parallel workers' kernels share the machine's cores. Without this, a
submission that starts dozens of busy processes gets dozens of shares of the
CPU, and an honest neighbour's training cell can time out. In a cgroup of its
own every kernel, with all the processes it starts, is *one* scheduling entity
(the same weight as every other kernel) and may use at most ``cpus`` CPUs
(the quota), so a neighbour's grade no longer depends on what runs beside it.

Where it is possible: as root, with the ``cpu`` controller of cgroup v2
(``cpu.max``) or of cgroup v1 (``cpu.cfs_quota_us``). Each group sits at the
top of that hierarchy, where a single process would (so an honest kernel
weighs what it weighed without one), and is named after its sandbox folder;
:func:`cpu_share_problem` says why there are none otherwise.

The kernel enters its group before it starts: its command begins with
:func:`join_command`, a shell that writes its own pid into the group and then
becomes bubblewrap (``exec`` keeps the pid), so every process of the sandbox
is born inside it. If the pid cannot be written, nothing starts.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import sys
import time
import uuid

PERIOD_US = 100_000
#: Joins the group named by ``$0`` (its ``cgroup.procs``), then becomes the rest of the
#: command line. A shell starts in a few milliseconds, a Python helper in tens.
JOIN = 'echo $$ > "$0" && exec "$@"'


def _unescape(path: str) -> str:
    """A path from /proc/self/mounts, whose spaces and such are octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), path)


def cpu_hierarchies(mounts="/proc/self/mounts") -> list[tuple[int, str]]:
    """``(version, mount point)`` of the cgroup hierarchies with the cpu controller."""
    found = []
    try:
        with open(mounts, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) < 4:
            continue
        point, kind, options = _unescape(fields[1]), fields[2], fields[3].split(",")
        if kind == "cgroup2":
            try:
                with open(os.path.join(point, "cgroup.controllers"), encoding="ascii") as handle:
                    if "cpu" in handle.read().split():
                        found.append((2, point))
            except OSError:
                continue
        elif kind == "cgroup" and "cpu" in options:
            found.append((1, point))
    return sorted(found, reverse=True)  # v2 first


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


class CpuShare:
    """One sandbox's cgroup: ``procs`` is the file a process joins it through."""

    def __init__(self, version: int, path: str):
        self.version, self.path = version, path
        self.procs = os.path.join(path, "cgroup.procs")

    @classmethod
    def create(cls, name: str, cpus: float, hierarchy: tuple[int, str]) -> "CpuShare":
        """The group ``name`` with a quota of ``cpus`` CPUs; ``OSError`` if it cannot be made."""
        version, point = hierarchy
        if version == 2:  # the cpu controller must be on for the groups below the top
            _write(os.path.join(point, "cgroup.subtree_control"), "+cpu")
        path = os.path.join(point, name)
        os.mkdir(path)
        share = cls(version, path)
        try:
            quota = max(1000, int(cpus * PERIOD_US))
            if version == 2:
                _write(os.path.join(path, "cpu.max"), f"{quota} {PERIOD_US}")
            else:
                _write(os.path.join(path, "cpu.cfs_period_us"), str(PERIOD_US))
                _write(os.path.join(path, "cpu.cfs_quota_us"), str(quota))
        except OSError:
            share.remove()
            raise
        return share

    def pids(self) -> list[int]:
        try:
            with open(self.procs, encoding="ascii") as handle:
                return [int(pid) for pid in handle.read().split()]
        except (OSError, ValueError):
            return []

    def remove(self, wait: float = 2.0) -> bool:
        """Kill whatever still runs in the group, then remove it; False if it stays."""
        deadline = time.monotonic() + wait
        while True:
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                os.rmdir(self.path)
                return True
            except FileNotFoundError:
                return True
            except OSError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.02)


def join_command(share: CpuShare | None) -> list[str]:
    """The prefix that starts a command inside ``share`` (nothing without one)."""
    if share is None:
        return []
    return ["/bin/sh", "-c", JOIN, share.procs]


@functools.lru_cache(maxsize=None)
def _probe() -> tuple[tuple[int, str] | None, str | None]:
    """``(usable hierarchy, None)`` or ``(None, why there is none)``, probed once."""
    if not sys.platform.startswith("linux"):
        return None, f"CPU shares need Linux cgroups (this is {sys.platform})"
    hierarchies = cpu_hierarchies()
    if not hierarchies:
        return None, "no cgroup hierarchy with the cpu controller is mounted"
    if os.geteuid() != 0:
        return None, "making cgroups needs root"
    problems = []
    for hierarchy in hierarchies:
        try:
            CpuShare.create(f"autograder-probe-{os.getpid()}-{uuid.uuid4().hex[:8]}", 1.0,
                            hierarchy).remove()
            return hierarchy, None
        except OSError as exc:
            problems.append(f"cgroup v{hierarchy[0]} at {hierarchy[1]}: {exc.strerror or exc}")
    return None, "; ".join(problems)


def cpu_share_problem() -> str | None:
    """Why kernels get no CPU share of their own here, or None if they do."""
    return _probe()[1]


def usable_hierarchy() -> tuple[int, str] | None:
    """The cgroup hierarchy the CPU shares are made in, or None."""
    return _probe()[0]
