"""The command lines that start a sandboxed kernel, and its environment.

The kernel command is ``bwrap ... -- prlimit ... -- setpriv ... -- python -c
KERNEL_BOOT -f CONNECTION_FILE``: bubblewrap builds the private filesystem,
prlimit sets the resource limits, setpriv drops root to the kernel's own uid.
Without bubblewrap, :func:`python_limits_command` sets the limits instead.
"""

from __future__ import annotations

import glob
import json
import os
import sys

from ..constants import EXCHANGE_ENV
from .probe import unshare_args

MiB = 2**20
SANDBOX_HOME = "/home/student"  # the work folder as the sandboxed kernel sees it
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
             "/etc/localtime", "/etc/fonts")
#: The program that sets the limits where prlimit cannot be used.
SET_LIMITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "set_limits.py")


def limits_command(*, cpu: int, address_space: int, processes: int,
                   file_size: int, open_files: int, prlimit: str = "prlimit") -> list[str]:
    """``prlimit`` prefix setting soft=hard limits; a value <= 0 means unlimited."""
    cmd = [prlimit, "--core=0"]
    for flag, value in (("cpu", cpu), ("as", address_space), ("nproc", processes),
                        ("fsize", file_size), ("nofile", open_files)):
        if value > 0:
            cmd.append(f"--{flag}={value}")
    return cmd + ["--"]


def python_limits_command(*, cpu: int, address_space: int, processes: int,
                          file_size: int, open_files: int,
                          python: str = sys.executable) -> list[str]:
    """Portable prefix (no prlimit needed) that sets the rlimits, then execs the rest."""
    limits = {"RLIMIT_CORE": 0, "RLIMIT_CPU": cpu, "RLIMIT_AS": address_space,
              "RLIMIT_NPROC": processes, "RLIMIT_FSIZE": file_size,
              "RLIMIT_NOFILE": open_files}
    return [python, "-I", SET_LIMITS, json.dumps(limits)]


def privdrop_command(uid: int, gid: int, setpriv: str = "setpriv") -> list[str]:
    """``setpriv`` prefix dropping root to uid/gid with no capabilities left."""
    return [setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def _covered(path: str, bound: list[str]) -> bool:
    return any(path == b or path.startswith(b.rstrip("/") + "/") for b in bound)


def bwrap_command(bwrap: str, *, work_host: str, conn_dir: str, env: dict[str, str],
                  work_inside: str = SANDBOX_HOME, ro_paths=(), ro_files=None, overlays=None,
                  tmp_size: int = 256 * MiB, user_namespace: bool = False) -> list[str]:
    """The bwrap prefix (ending in ``--``) for a kernel.

    ``ro_paths`` are bound read-only at the same path, ``ro_files`` maps
    inside path -> host file (read-only), ``overlays`` maps inside path ->
    host folder bound read-only *over* whatever the other binds show there,
    ``conn_dir`` (connection file and ipc sockets) is bound read-write at the
    same path, ``work_host`` read-write at ``work_inside``.  bwrap mounts in
    argument order, so the /tmp tmpfs comes before any bind below /tmp, and
    the overlays come after the folders they cover.
    """
    cmd = [bwrap, *unshare_args(user_namespace), "--die-with-parent", "--new-session",
           "--perms", "1777", "--size", str(tmp_size), "--tmpfs", "/tmp",
           "--proc", "/proc", "--dev", "/dev",
           "--perms", "1777", "--size", str(tmp_size), "--tmpfs", "/dev/shm"]
    bound: list[str] = []
    made: set[str] = {"/", "/tmp", "/proc", "/dev", "/dev/shm"}

    def parents(path: str) -> None:  # bwrap would create them mode 0700
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/" + "/".join(parts[:i])
            if d not in made and not _covered(d, bound):
                cmd.extend(["--perms", "0755", "--dir", d])
                made.add(d)

    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            cmd.extend(["--symlink", os.readlink(d), d])
        elif os.path.isdir(d):
            cmd.extend(["--ro-bind", d, d])
            bound.append(d)
    for inside, host in sorted((ro_files or {}).items()):
        parents(inside)
        cmd.extend(["--ro-bind", host, inside])
    for path in sorted({os.path.realpath(p) for p in ro_paths}):
        if os.path.exists(path) and not _covered(path, bound):
            parents(path)
            cmd.extend(["--ro-bind", path, path])
            bound.append(path)
    for inside, host in sorted((overlays or {}).items()):
        parents(inside)
        cmd.extend(["--ro-bind", host, inside])
    for host, inside in ((conn_dir, conn_dir), (work_host, work_inside)):
        parents(inside)
        cmd.extend(["--bind", host, inside])
    cmd.extend(["--chdir", work_inside, "--clearenv"])
    for key, value in sorted(env.items()):
        cmd.extend(["--setenv", key, value])
    return cmd + ["--"]


#: Starts ipykernel as ``python -m ipykernel_launcher`` does (the working folder
#: leaves ``sys.path`` until IPython puts it back), without the debugger: nobody
#: debugs a grading kernel, and importing debugpy costs ~0.1 s of CPU per kernel.
KERNEL_BOOT = ("import sys; sys.modules['debugpy'] = None; "
               "sys.path[:] = [p for p in sys.path if p != '']; "
               "from ipykernel import kernelapp; kernelapp.launch_new_instance()")
#: No SQLite history file and no thread saving it (``In``/``Out`` still work).
KERNEL_ARGS = ("--HistoryManager.enabled=False",)


def grader_font_lists() -> list[str]:
    """The grader's own matplotlib font caches (``fontlist-v*.json``), found where
    matplotlib keeps them, without importing it."""
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    found = []
    for path in sorted(glob.glob(os.path.join(folder, "fontlist-v*.json"))):
        try:
            if os.path.isfile(path) and not os.path.islink(path) \
                    and os.path.getsize(path) < 8 * MiB:
                found.append(path)
        except OSError:
            continue
    return found


def kernel_env(*, home: str, tmp: str, exchange_dir: str,
               mpl_dir: str | None = None) -> dict[str, str]:
    """The whole environment of a student kernel: nothing of the grader's."""
    bindir = os.path.dirname(sys.executable)
    return {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": "student", "LOGNAME": "student", "TMPDIR": tmp,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        # ipykernel's inline backend: a figure the notebook shows reaches the feedback
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": mpl_dir or f"{tmp}/matplotlib", "IPYTHONDIR": f"{tmp}/ipython",
        "XDG_CACHE_HOME": f"{tmp}/cache", "JUPYTER_RUNTIME_DIR": f"{tmp}/jupyter",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        EXCHANGE_ENV: exchange_dir,
    }
