"""Where a parallel run's tasks execute: local processes or a Dask cluster.

Both pools take a :class:`~.tasks.Task` (plain data, run by
:func:`~.worker.run_student_task`) and put ``(tag, future, result, error)``
on one queue when it is done, so the coordinator waits in
one place; ``resolve`` turns that into ``(result, error)``.

* :class:`LocalPool`: a ``ProcessPoolExecutor``. On Linux the coordinator
  imports the task's modules and then forks the workers at once, before it
  starts any thread, so no worker pays for the imports again (elsewhere, and
  when a broken pool is rebuilt, the workers are spawned). Each worker dies
  with the coordinator (``PR_SET_PDEATHSIG``; its sandboxed kernels die with
  it), so a killed run leaves nothing behind; worker output (and its
  kernels') goes to a log file. A pool broken by a dying worker is rebuilt
  and its tasks resubmitted.
* :class:`DaskPool`: a ``distributed.Client`` on a running scheduler; tasks
  carry all their data, results come back as data.
"""

import os
import queue
import signal
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .worker import run_student_task, warm_up

#: How often a task is resubmitted after its worker died under it.
MAX_ATTEMPTS = 2


def _context(fork_allowed):
    """``fork`` (after importing what a task needs) where it is safe, else ``spawn``.

    Forking is safe only while this process runs a single thread."""
    import gc
    import multiprocessing
    import threading

    if fork_allowed and sys.platform.startswith("linux") and threading.active_count() == 1:
        # What a task imports, imported once here so that no worker imports it again.
        import jupyter_client.manager  # noqa: F401
        import nbclient  # noqa: F401
        import nbgrader.preprocessors  # noqa: F401

        from ..pipeline import guarded_execute  # noqa: F401
        # What the workers inherit is never collected in them either: their
        # collections stay small and do not copy the shared pages.
        gc.freeze()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _init_local_worker(log_path, path_env) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's
    if path_env:
        os.environ["PATH"] = path_env
    if log_path:
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    warm_up()


class LocalPool:
    """A bounded pool of local worker processes."""

    def __init__(self, workers, *, log_path=None):
        self.capacity = workers
        self.description = f"{workers} local worker process{'es' * (workers != 1)}"
        self.done = queue.Queue()
        self._init_args = (str(log_path) if log_path else None, os.environ.get("PATH", ""))
        self._executor = None
        self._tasks = {}  # tag -> (task, attempts)
        self._futures = {}  # tag -> future
        self._start(_context(fork_allowed=True))

    def _start(self, context):
        self._executor = ProcessPoolExecutor(self.capacity, mp_context=context,
                                             initializer=_init_local_worker,
                                             initargs=self._init_args)

    def warm(self):
        """Start the worker processes now (forked at once, or spawned to import
        while the coordinator sets up)."""
        for _ in range(self.capacity):
            self._executor.submit(warm_up)

    def submit(self, tag, task) -> None:
        attempts = self._tasks.get(tag, (None, 0))[1] + 1
        self._tasks[tag] = (task, attempts)
        try:
            future = self._executor.submit(run_student_task, task)
        except BrokenProcessPool:  # a worker died since the last completion
            self._rebuild()
            future = self._executor.submit(run_student_task, task)
        self._futures[tag] = future
        future.add_done_callback(lambda f, tag=tag: self._on_done(tag, f))

    def _on_done(self, tag, future):
        if future.cancelled():
            return
        error = future.exception()
        self.done.put((tag, future, None if error else future.result(), error))

    def resolve(self, tag, future, result, error):
        """Turn a completion into ``(result, error)``; ``None`` when it is stale
        or its task was resubmitted because its worker died."""
        if self._futures.get(tag) is not future:
            return None
        if isinstance(error, BrokenProcessPool):
            self._rebuild()
            if self._futures.get(tag) is not future:
                return None
            error = RuntimeError(f"its worker process died {MAX_ATTEMPTS} times while running it")
        self._tasks.pop(tag, None)
        self._futures.pop(tag, None)
        return result, error

    def _rebuild(self):
        """Replace a broken executor; resubmit the tasks that were in it."""
        if not getattr(self._executor, "_broken", False):
            return
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._start(_context(fork_allowed=False))  # threads run now: never fork
        for tag, future in list(self._futures.items()):
            if future.done() and not future.cancelled() and future.exception() is None:
                continue  # finished before the break; its completion is queued
            task, attempts = self._tasks[tag]
            if attempts < MAX_ATTEMPTS:
                self.submit(tag, task)

    def worker_pids(self) -> list:
        processes = getattr(self._executor, "_processes", None) or {}
        return list(processes)

    def close(self, *, kill=False) -> None:
        if kill:
            for pid in self.worker_pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        self._executor.shutdown(wait=not kill, cancel_futures=True)


class DaskPool:
    """Tasks sent to a Dask distributed scheduler."""

    def __init__(self, address, *, connect_timeout=10, workers_timeout=60):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - an optional dependency
            raise RuntimeError("--scheduler needs dask[distributed] (pip install "
                               "'backprop-course[scale]')") from exc
        self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        try:
            self.client.wait_for_workers(1, timeout=workers_timeout)
        except BaseException:
            self.client.close()
            raise
        threads = sum(self.client.nthreads().values())
        self.capacity = max(1, threads)
        self.description = f"Dask cluster {address} ({threads} worker thread" \
                           f"{'s' * (threads != 1)})"
        self.done = queue.Queue()
        self._futures = {}
        self._token = uuid.uuid4().hex[:12]

    def warm(self):
        """Import the task's modules on every worker, without waiting for them."""
        self._warm = [self.client.submit(warm_up, pure=False, workers=[address],
                                         key=f"backprop-warm-up-{self._token}-{address}")
                      for address in self.client.nthreads()]

    def submit(self, tag, task) -> None:
        future = self.client.submit(run_student_task, task, pure=False,
                                    key=f"backprop-grade-{self._token}-{tag}")
        self._futures[tag] = future
        future.add_done_callback(lambda f, tag=tag: self._on_done(tag, f))

    def _on_done(self, tag, future):
        try:
            result, error = future.result(), None
        except BaseException as exc:  # noqa: BLE001 - the remote task's exception
            result, error = None, exc
        self.done.put((tag, future, result, error))

    def resolve(self, tag, future, result, error):
        if self._futures.get(tag) is not future:
            return None
        self._futures.pop(tag).release()
        return result, error

    def close(self, *, kill=False) -> None:
        for future in self._futures.values():
            future.cancel()
        self.client.close()
