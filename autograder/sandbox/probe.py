"""Can bubblewrap sandbox a kernel on this machine? Probed once per process."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

from ..i18n import N_, _


class SandboxUnavailableError(RuntimeError):
    """bubblewrap is required (``require_sandbox``) but cannot be used.

    It carries the problem as :func:`probe_sandbox` found it, and says it in the
    language of whoever reads it (a Dask worker's error is read by the coordinator)."""

    def __init__(self, problem):
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return _("require_sandbox is set but {problem}; refusing to run student code "
                 "unsandboxed").format(problem=problem_text(self.problem))


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
def probe_sandbox(bwrap: str) -> tuple[str, dict] | None:
    """Why the bwrap sandbox can't be used here, or None if it can (probed once).

    The problem is ``(message, values)``: :func:`problem_text` says it in the
    current language, so that one probe serves readers of every language, on
    this machine or on another (the tuple travels as plain data)."""
    if not sys.platform.startswith("linux"):
        return N_("bubblewrap sandboxing needs Linux (this is {platform})"), \
            {"platform": sys.platform}
    if not bwrap or not os.access(bwrap, os.X_OK):
        if not bwrap:
            return N_("bubblewrap not found (no bwrap on PATH)"), {}
        return N_("bubblewrap not found ({path})"), {"path": bwrap}
    if not shutil.which("prlimit"):
        return N_("prlimit (util-linux) not found"), {}
    if is_root() and not shutil.which("setpriv"):
        return N_("setpriv (util-linux) not found"), {}
    cmd = [bwrap, *unshare_args(not is_root()), "--die-with-parent", "--new-session",
           "--ro-bind", "/", "/", "--perms", "1777", "--size", "1048576", "--tmpfs", "/tmp",
           "--proc", "/proc", "--dev", "/dev", "--clearenv", "--setenv", "PATH",
           "/usr/bin:/bin", "--", "true"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                             env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.SubprocessError) as e:
        return N_("bubblewrap failed to run: {error}"), {"error": str(e)}
    if res.returncode != 0:
        return N_("bubblewrap does not work here: {error}"), {"error": res.stderr.strip()[:300]}
    return None


def problem_text(problem) -> str | None:
    """A problem of :func:`probe_sandbox` in the current language (a text stays as it is)."""
    if problem is None or isinstance(problem, str):
        return problem
    message, values = problem
    return _(message).format(**values)


def sandbox_problem(bwrap: str) -> str | None:
    """Why the bwrap sandbox can't be used here, in the current language, or None if it can."""
    return problem_text(probe_sandbox(bwrap))


def sandbox_available(bwrap_path: str | None = None) -> bool:
    """True if kernels can be started inside bubblewrap on this machine."""
    return probe_sandbox(bwrap_path if bwrap_path is not None else default_bwrap()) is None


def describe_sandbox(bwrap_path: str | None = None) -> str:
    """One line saying how student kernels will be isolated here."""
    bwrap = bwrap_path if bwrap_path is not None else default_bwrap()
    problem = sandbox_problem(bwrap)
    if problem:
        return _("NO SANDBOX ({problem}): kernels run with resource limits only "
                 "and can read the grader's files").format(problem=problem)
    if is_root():
        return _("bubblewrap sandbox ({bwrap}): private filesystem, no network, own PID "
                 "namespace, runs as a per-kernel unprivileged uid with resource "
                 "limits").format(bwrap=bwrap)
    return _("bubblewrap sandbox ({bwrap}): private filesystem, no network, own PID "
             "namespace, runs as the current uid with resource limits").format(bwrap=bwrap)
