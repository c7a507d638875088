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
import time
from pathlib import Path, PurePosixPath

import nbformat

from .sandbox import PUBLIC_IGNORE

PACKAGE_DIR = str(Path(__file__).resolve().parent)


def read_public_files(public_dir) -> dict:
    """The files a sandboxed kernel gets from ``public_dir``, as ``{relative path: bytes}``.

    The same selection the sandbox copies (notebooks and caches left out).
    """
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


def memory_usage() -> dict:
    """Peak resident memory (bytes) of this process and of its finished children
    (the sandboxed kernels it started)."""
    scale = 1 if os.uname().sysname == "Darwin" else 1024  # ru_maxrss is KiB on Linux
    return {
        "worker_peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
        "kernel_peak_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale,
    }


def run_student_task(task: dict) -> dict:
    """Execute every notebook of one student's submission (the unit of work).

    ``task`` = ``{"student", "notebooks": {notebook_id: json}, "public_files",
    "harvest_spec", "config", "execute_class"}``.
    """
    started = time.monotonic()
    results = {}
    for notebook_id, notebook_json in task["notebooks"].items():
        results[notebook_id] = execute_submission(
            notebook_json=notebook_json, public_files=task["public_files"],
            harvest_spec=task["harvest_spec"], config=task["config"],
            execute_class=task.get("execute_class"))
    return {
        "student": task["student"],
        "notebooks": results,
        "seconds": time.monotonic() - started,
        "worker": {"host": socket.gethostname(), "pid": os.getpid(), **memory_usage()},
    }


def warm_up() -> int:
    """Import what a task needs (run once per worker, before the first task)."""
    import nbclient  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    from . import preprocessors  # noqa: F401
    return os.getpid()
