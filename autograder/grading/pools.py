"""Where a run's submissions are graded: local worker processes (or Dask, :mod:`.dask_pool`).

Every pool takes the run's kit once (:meth:`start`) and its plan once
(:meth:`publish_plan`), then :class:`~.tasks.Task` s (:meth:`submit`), and puts
``(tag, future, result, error)`` on one queue when a task is done, so the
coordinator waits in one place; :meth:`resolve` turns that into ``(result,
error)``, or ``None`` when the completion is stale or the task was sent again.

:class:`LocalPool` is a ``ProcessPoolExecutor`` whose workers are forked once
the kit is built: they inherit every import and the kit itself, and start
their first kernel at once. The plan follows through a file of the run's
private folder (:mod:`.shared`). Each worker dies with the coordinator
(``PR_SET_PDEATHSIG``; its sandboxed kernels die with it), so a killed run
leaves nothing behind; worker output (and its kernels') goes to a log file. A
pool broken by a dying worker is rebuilt and its tasks sent again (the new
workers are spawned, and read the kit from its file).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .. import i18n
from ..i18n import _, ngettext
from .kit import KitError
from .shared import SharedFile

#: How often a task is sent again after its worker died under it.
MAX_ATTEMPTS = 2


def _context(fork_allowed):
    """``fork`` where it is safe (a single thread, on Linux), else ``spawn``."""
    import gc
    import threading

    if fork_allowed and sys.platform.startswith("linux") and threading.active_count() == 1:
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


def _init_local_worker(log_path, path_env, kit, prestart) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's
    if path_env:
        os.environ["PATH"] = path_env
    if log_path:
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    if isinstance(kit, SharedFile):  # a worker started again: the kit comes from its file
        kit = kit.get(timeout=0)
    process = multiprocessing.current_process()
    process._backprop_kit = kit
    if kit is None:
        return
    from multiprocessing.util import Finalize

    from .worker_session import sessions

    registry = sessions()
    Finalize(registry, registry.close, exitpriority=10)  # warm kernels, private folder
    if prestart:
        registry.get(kit).thread().start_next_kernel()


def grade_local(task, plan, language=i18n.DEFAULT):
    """A local worker's entry point: :func:`~.worker.grade_task` with its kit
    (``language``: the coordinator's, for the error without one)."""
    from .worker import grade_task

    kit = getattr(multiprocessing.current_process(), "_backprop_kit", None)
    if kit is None:
        with i18n.language(language):
            raise KitError(_("this worker process was started again after a crash and "
                             "could not receive the course configuration; run `backprop "
                             "grade` again"))
    return grade_task(task, kit, plan)


class LocalPool:
    """A bounded pool of local worker processes."""

    def __init__(self, workers, *, log_path=None, run_dir):
        self.capacity = workers
        self.description = ngettext("{n} local worker process", "{n} local worker processes",
                                    workers).format(n=workers)
        self.done = queue.Queue()
        self.run_dir = Path(run_dir)
        self._log, self._path = (str(log_path) if log_path else None,
                                 os.environ.get("PATH", ""))
        self._executor = None
        self._tasks = {}  # tag -> (task, attempts)
        self._futures = {}  # tag -> future
        self.kit = self.kit_file = None
        self.plan_file = SharedFile(self.run_dir / "plan.pickle")
        self.refusing = {}

    def start(self, kit, *, prestart=True) -> None:
        """Fork the workers with ``kit`` (also written for workers started later)."""
        self.kit, self.prestart = kit, prestart
        self.run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            data = kit.dumps()
        except KitError:
            data = None
        if data is not None:
            self.kit_file = SharedFile(self.run_dir / "kit.pickle")
            self.kit_file.publish(data)
        self._start(_context(fork_allowed=True))

    def _start(self, context) -> None:
        forked = context.get_start_method() == "fork"
        kit = self.kit if forked else self.kit_file
        self._executor = ProcessPoolExecutor(self.capacity, mp_context=context,
                                             initializer=_init_local_worker,
                                             initargs=(self._log, self._path, kit,
                                                       self.prestart))
        for _worker in range(self.capacity):  # start them now, not at the first task
            self._executor.submit(os.getpid)

    def publish_plan(self, plan) -> None:
        self.plan_file.publish(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))

    def submit(self, tag, task) -> None:
        attempts = self._tasks.get(tag, (None, 0))[1] + 1
        self._tasks[tag] = (task, attempts)
        try:
            future = self._executor.submit(grade_local, task, self.plan_file, i18n.current())
        except BrokenProcessPool:  # a worker died since the last completion
            self._rebuild()
            future = self._executor.submit(grade_local, task, self.plan_file, i18n.current())
        self._futures[tag] = future
        future.add_done_callback(lambda f, tag=tag: self._on_done(tag, f))

    def _on_done(self, tag, future):
        if future.cancelled():
            return
        error = future.exception()
        self.done.put((tag, future, None if error else future.result(), error))

    def resolve(self, tag, future, result, error):
        """Turn a completion into ``(result, error)``; ``None`` when it is stale
        or its task was sent again because its worker died."""
        if self._futures.get(tag) is not future:
            return None
        if isinstance(error, BrokenProcessPool):
            self._rebuild()
            if self._futures.get(tag) is not future:
                return None
            error = RuntimeError(ngettext("its worker process died {n} time while running it",
                                          "its worker process died {n} times while running it",
                                          MAX_ATTEMPTS).format(n=MAX_ATTEMPTS))
        self._tasks.pop(tag, None)
        self._futures.pop(tag, None)
        return result, error

    def _rebuild(self):
        """Replace a broken executor; send again the tasks that were in it."""
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
        if self._executor is not None:
            if kill:
                for pid in self.worker_pids():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            self._executor.shutdown(wait=not kill, cancel_futures=True)
        for shared in (self.kit_file, self.plan_file):
            if shared is not None:
                Path(shared.path).unlink(missing_ok=True)
        try:
            self.run_dir.rmdir()
        except OSError:
            pass
