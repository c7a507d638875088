"""The worker's half of a parallel grading run: execute one submission, harvest.

A worker gets a :class:`~.tasks.Task` (plain data) and returns a
:class:`TaskResult` (plain data), so it can live in a local process or on a
Dask worker on another machine. It runs the course's own
:class:`~autograder.pipeline.guarded_execute.GuardedExecute` (sandbox, time
limits, restarts, harvest), exactly what ``nbgrader autograde`` runs, and
hands back one :class:`~autograder.plan.execution.Execution` per notebook. It
never sees ``solutions/``, the plan's expected values or the gradebook. See
:mod:`autograder.grading.coordinator` for the other half.
"""

import os
import resource
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass

import nbformat

from ..plan.execution import Execution
from .kernel_usage import KernelUsage, measuring
from .tasks import Task, worker_config, write_public_files


@dataclass
class TaskResult:
    """What one task gave back: an execution per notebook, timings, the worker's use."""

    student: str
    notebooks: dict          # notebook id -> Execution (with the executed notebook)
    seconds: float
    started: float           # wall-clock time the task started (time.time())
    cpu_worker: float
    cpu_kernels: float
    host: str
    pid: int
    worker_peak_rss: int
    kernel_peak_rss: int

    @property
    def worker(self) -> str:
        return f"{self.host}:{self.pid}"


def execute_submission(*, notebook_json: str, public_files: dict, harvest_spec: dict,
                       config: dict, execute_class=None, usage=None) -> Execution:
    """Run one sanitized notebook through GuardedExecute and harvest its values.

    ``config`` holds the nbgrader config sections of the execution classes
    (``GuardedExecute``, ``Execute``, ``SandboxedKernelManager``, ...).
    """
    from nbgrader import utils as nbgrader_utils

    if execute_class is None:
        from ..pipeline.guarded_execute import GuardedExecute as execute_class

    public = tempfile.mkdtemp(prefix="backprop-public-")
    try:
        write_public_files(public_files, public)
        started = time.monotonic()
        preprocessor = execute_class(config=worker_config(config, public))
        preprocessor.harvest_spec = harvest_spec
        preprocessor.kernel_manager_class = measuring(preprocessor.kernel_manager_class,
                                                      usage or KernelUsage())
        nb = nbformat.reads(notebook_json, as_version=4)
        resources = {"metadata": {"path": public}}
        with nbgrader_utils.setenv(NBGRADER_EXECUTION="autograde"):
            nb, resources = preprocessor.preprocess(nb, resources)
        execution = Execution.stored(resources) or Execution.not_run("was never run")
        execution.seconds = time.monotonic() - started
        execution.notebook = nbformat.writes(nb)
        return execution
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


def run_student_task(task: Task) -> TaskResult:
    """Execute every notebook of one student's submission (the unit of work)."""
    started, wall, cpu_before = time.monotonic(), time.time(), cpu_seconds()
    usage = KernelUsage()
    results = {}
    for notebook_id, notebook_json in task.notebooks.items():
        results[notebook_id] = execute_submission(
            notebook_json=notebook_json, public_files=task.public_files,
            harvest_spec=task.harvest_spec, config=task.config,
            execute_class=task.execute_class, usage=usage)
    return TaskResult(student=task.student, notebooks=results,
                      seconds=time.monotonic() - started, started=wall,
                      cpu_worker=cpu_seconds() - cpu_before, cpu_kernels=usage.cpu,
                      host=socket.gethostname(), pid=os.getpid(),
                      worker_peak_rss=worker_peak_rss(), kernel_peak_rss=usage.peak_rss)


def warm_up() -> int:
    """Import what a task needs (run once per worker, before the first task)."""
    import nbclient  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    from ..pipeline import guarded_execute  # noqa: F401
    return os.getpid()
