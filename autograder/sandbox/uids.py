"""One unprivileged uid per running kernel, so that RLIMIT_NPROC holds.

As root, RLIMIT_NPROC is not enforced, and it counts every process of a uid
on the machine: kernels that share a uid share one budget. Each kernel takes
a uid that no process uses and that no other kernel (of any grader process on
the machine) holds, by a lock file per uid.
"""

from __future__ import annotations

import fcntl
import itertools
import os

from ..i18n import _

_uid_counter = itertools.count()


def process_uids() -> list[int]:
    """Owner uid of every process (empty where there is no /proc, e.g. macOS)."""
    uids = []
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if pid.isdigit():
            try:
                uids.append(os.stat(f"/proc/{pid}").st_uid)
            except OSError:
                pass
    return uids


def _uids_in_use() -> set[int]:
    return set(process_uids())


def allocate_uid(start: int, count: int, lock_dir: str):
    """Pick a uid in [start, start+count) that no process uses and no other kernel
    holds; returns (uid, lock_file).  The flock lasts until lock_file is closed
    (or the grader process dies), so parallel graders never share a uid."""
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    busy = _uids_in_use()
    offset = os.getpid() * 7919 + next(_uid_counter)
    for i in range(count):
        uid = start + (offset + i) % count
        if uid in busy:
            continue
        lock = open(os.path.join(lock_dir, f"{uid}.lock"), "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        return uid, lock
    raise RuntimeError(_("no free sandbox uid in {first}..{last}").format(
        first=start, last=start + count - 1))
