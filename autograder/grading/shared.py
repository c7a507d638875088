"""How a run's shared objects (its kit and its plan) reach the workers once.

A Dask cluster gets them by ``scatter`` with ``broadcast=True``: every worker
holds one copy and tasks name it. The plan is built while the first
submissions execute; a task sent before it exists gets a :class:`DaskPlan`,
which waits for the ``distributed.Variable`` the coordinator sets once the
plan is scattered.

Local workers are forked with the kit in memory. The plan (and the kit, for a
worker started again after a crash) is written once to a file of the run's
private folder, :class:`SharedFile`, which each worker reads once.
"""

from __future__ import annotations

import os
import pickle
import time

from ..i18n import _
from ..safe_files import atomic_write

#: How often a worker looks again for an object that is not there yet.
POLL_SECONDS = 0.05


class NotShared(RuntimeError):
    """The coordinator never provided the object (it stopped, or failed to build it).

    Raised on a worker while a student's submission is graded; its text is said where
    it is read (the instructor's language), not where it is raised."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return _("the grading plan did not arrive in {seconds:.0f} s").format(
            seconds=float(self.seconds or 0))


class SharedFile:
    """An object the coordinator writes once to ``path`` and workers read."""

    def __init__(self, path):
        self.path = str(path)

    def publish(self, data: bytes) -> None:
        atomic_write(self.path, data)
        os.chmod(self.path, 0o600)

    def get(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not os.path.exists(self.path):
            if deadline is not None and time.monotonic() > deadline:
                raise NotShared(timeout)
            time.sleep(POLL_SECONDS)
        with open(self.path, "rb") as handle:
            return pickle.load(handle)


class DaskPlan:
    """The plan of a Dask run that had not been built when the task was sent."""

    def __init__(self, name):
        self.name = name

    def get(self, timeout=None):
        from distributed import Variable, get_client

        try:
            future = Variable(self.name, client=get_client()).get(timeout=timeout)
        except TimeoutError:
            raise NotShared(timeout) from None
        return future.result()
