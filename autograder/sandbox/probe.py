"""Can bubblewrap sandbox a kernel on this machine? Probed once per process."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys


class SandboxUnavailableError(RuntimeError):
    """bubblewrap is required (``require_sandbox``) but cannot be used."""


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def default_bwrap() -> str:
    return shutil.which("bwrap") or ""


def unshare_args(user_namespace: bool) -> list[str]:
    if user_namespace:  # unprivileged bwrap: the user namespace is required anyway
        return ["--unshare-all"]
    # as root: everything but the user namespace (it would break setpriv, see above)
    return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try"]


@functools.lru_cache(maxsize=None)
def sandbox_problem(bwrap: str) -> str | None:
    """Why the bwrap sandbox can't be used here, or None if it can (probed once)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap sandboxing needs Linux (this is {sys.platform})"
    if not bwrap or not os.access(bwrap, os.X_OK):
        return f"bubblewrap not found ({bwrap or 'no bwrap on PATH'})"
    if not shutil.which("prlimit"):
        return "prlimit (util-linux) not found"
    if is_root() and not shutil.which("setpriv"):
        return "setpriv (util-linux) not found"
    cmd = [bwrap, *unshare_args(not is_root()), "--die-with-parent", "--new-session",
           "--ro-bind", "/", "/", "--perms", "1777", "--size", "1048576", "--tmpfs", "/tmp",
           "--proc", "/proc", "--dev", "/dev", "--clearenv", "--setenv", "PATH",
           "/usr/bin:/bin", "--", "true"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                             env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.SubprocessError) as e:
        return f"bubblewrap failed to run: {e}"
    if res.returncode != 0:
        return f"bubblewrap does not work here: {res.stderr.strip()[:300]}"
    return None


def sandbox_available(bwrap_path: str | None = None) -> bool:
    """True if kernels can be started inside bubblewrap on this machine."""
    return sandbox_problem(bwrap_path if bwrap_path is not None else default_bwrap()) is None


def describe_sandbox(bwrap_path: str | None = None) -> str:
    """One line saying how student kernels will be isolated here."""
    bwrap = bwrap_path if bwrap_path is not None else default_bwrap()
    problem = sandbox_problem(bwrap)
    if problem:
        return (f"NO SANDBOX ({problem}): kernels run with resource limits only "
                "and can read the grader's files")
    who = "a per-kernel unprivileged uid" if is_root() else "the current uid"
    return (f"bubblewrap sandbox ({bwrap}): private filesystem, no network, "
            f"own PID namespace, runs as {who} with resource limits")
