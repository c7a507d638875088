"""The worker's half of a parallel grading run: execute one submission, harvest.

A worker gets plain data and returns plain data, so it can live in a local
process or on a Dask worker on another machine (no shared filesystem):

* in: the sanitized notebook(s) as JSON text, the public course files as
  bytes (``data_prep.py``, ``binary.csv``), the plan's *harvest spec* (inputs
  only, never an expected value) and the execution settings of the course's
  nbgrader config;
* out: the executed notebook(s) as JSON text, the harvest's raw payload dict,
  the run's events and skipped cells, timings, and the worker's peak memory.

It runs the course's own :class:`~autograder.preprocessors.GuardedExecute`
(sandbox, time limits, restarts, harvest), exactly what ``nbgrader autograde``
runs. It never sees ``solutions/``, the plan's expected values or the
gradebook. See :mod:`autograder.parallel` for the coordinator.
"""

import os
import resource
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path, PurePosixPath

import nbformat
from jupyter_core.utils import ensure_async

PACKAGE_DIR = str(Path(__file__).resolve().parent)


def read_public_files(public_dir) -> dict:
    """The files a sandboxed kernel gets from ``public_dir``, as ``{relative path: bytes}``.

    The same selection the sandbox copies (notebooks and caches left out).
    """
    from .sandbox import PUBLIC_IGNORE

    root = Path(public_dir)
    files = {}
    for folder, dirnames, filenames in os.walk(root):
        ignored = PUBLIC_IGNORE(folder, dirnames + filenames)
        dirnames[:] = sorted(d for d in dirnames if d not in ignored)
        for name in sorted(filenames):
            if name not in ignored:
                path = Path(folder) / name
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _write_public_files(files: dict, dest: str) -> None:
    for rel, data in files.items():
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            raise ValueError(f"unsafe public file name: {rel!r}")
        path = Path(dest, *parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _worker_config(config: dict, public_dir: str):
    """The coordinator's execution settings, with this machine's paths."""
    from traitlets.config import Config

    cfg = Config(config)
    cfg.SandboxedKernelManager.public_dir = public_dir
    ro_paths = [p for p in cfg.SandboxedKernelManager.get("extra_ro_paths", [])
                if os.path.exists(p)]
    if PACKAGE_DIR not in ro_paths:  # the kernel imports autograder.selfcheck
        ro_paths.append(PACKAGE_DIR)
    cfg.SandboxedKernelManager.extra_ro_paths = ro_paths
    return cfg


_KERNELS = threading.local()


def _descendants(pid) -> list:
    found, todo = [pid], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = [int(p) for p in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            found += children
            todo += children
    return found


def _sample_kernel(km) -> None:
    """Add the kernel's peak memory and CPU time so far to this thread's tally.

    Read from /proc just before the kernel is shut down (Linux only): its
    processes are not the worker's waited-for children, so ``getrusage``
    does not see them."""
    tally = getattr(_KERNELS, "tally", None)
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if tally is None or process is None or not os.path.isdir("/proc"):
        return
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in _descendants(process.pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                tally["peak_rss"] = max(tally["peak_rss"], int(line.split()[1]) * 1024)
        tally["cpu"] += (int(fields[11]) + int(fields[12])) / ticks


def _measuring(kernel_manager_class):
    """The configured kernel manager, unchanged but for a look at the kernel's
    peak memory and CPU time before it is shut down."""

    class MeasuredKernelManager(kernel_manager_class):
        async def shutdown_kernel(self, now=False, restart=False):
            _sample_kernel(self)
            return await ensure_async(super().shutdown_kernel(now=now, restart=restart))

    MeasuredKernelManager.__name__ = kernel_manager_class.__name__
    MeasuredKernelManager.__qualname__ = kernel_manager_class.__qualname__
    return MeasuredKernelManager


def execute_submission(*, notebook_json: str, public_files: dict, harvest_spec: dict,
                       config: dict, execute_class=None) -> dict:
    """Run one sanitized notebook through GuardedExecute and harvest its values.

    ``config`` holds the nbgrader config sections of the execution classes
    (``GuardedExecute``, ``Execute``, ``SandboxedKernelManager``, ...).
    Returns ``{"notebook", "payload", "problem", "events", "skipped", "seconds"}``.
    """
    from nbgrader import utils as nbgrader_utils

    if execute_class is None:
        from .preprocessors import GuardedExecute as execute_class

    public = tempfile.mkdtemp(prefix="backprop-public-")
    try:
        _write_public_files(public_files, public)
        started = time.monotonic()
        preprocessor = execute_class(config=_worker_config(config, public))
        preprocessor.harvest_spec = harvest_spec
        preprocessor.kernel_manager_class = _measuring(preprocessor.kernel_manager_class)
        nb = nbformat.reads(notebook_json, as_version=4)
        resources = {"metadata": {"path": public}}
        with nbgrader_utils.setenv(NBGRADER_EXECUTION="autograde"):
            nb, resources = preprocessor.preprocess(nb, resources)
        state = resources["backprop"]
        payload = state["payload"]
        return {
            "notebook": nbformat.writes(nb),
            "payload": payload.raw,
            "problem": payload.problem,
            "events": list(state.get("events", [])),
            "skipped": [[int(k), v] for k, v in state.get("skipped", {}).items()],
            "seconds": time.monotonic() - started,
        }
    finally:
        shutil.rmtree(public, ignore_errors=True)


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def worker_peak_rss() -> int:
    """Peak resident memory (bytes) of this process."""
    scale = 1 if os.uname().sysname == "Darwin" else 1024  # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def run_student_task(task: dict) -> dict:
    """Execute every notebook of one student's submission (the unit of work).

    ``task`` = ``{"student", "notebooks": {notebook_id: json}, "public_files",
    "harvest_spec", "config", "execute_class"}``.
    """
    started, wall, cpu_before = time.monotonic(), time.time(), cpu_seconds()
    _KERNELS.tally = tally = {"peak_rss": 0, "cpu": 0.0}
    results = {}
    try:
        for notebook_id, notebook_json in task["notebooks"].items():
            results[notebook_id] = execute_submission(
                notebook_json=notebook_json, public_files=task["public_files"],
                harvest_spec=task["harvest_spec"], config=task["config"],
                execute_class=task.get("execute_class"))
    finally:
        _KERNELS.tally = None
    return {
        "student": task["student"],
        "notebooks": results,
        "seconds": time.monotonic() - started,
        "started": wall,
        "cpu": {"worker": cpu_seconds() - cpu_before, "kernels": tally["cpu"]},
        "worker": {"host": socket.gethostname(), "pid": os.getpid(),
                   "worker_peak_rss": worker_peak_rss(), "kernel_peak_rss": tally["peak_rss"]},
    }


def warm_up() -> int:
    """Import what a task needs (run once per worker, before the first task)."""
    import nbclient  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    from . import preprocessors  # noqa: F401
    return os.getpid()
