"""A started kernel waiting for the next submission: start-up off the critical path.

A sandboxed kernel takes about half a second to start (the sandbox, Python,
ipykernel). A worker starts the kernel of its next submission while the
current one runs, so that the next notebook finds its kernel ready.

:class:`WarmKernels` holds the started kernel managers of one worker thread
(a kernel manager and its event loop belong to the thread that made them).
:func:`with_warm_kernels` makes the course's execution step take its first
kernel from there; a restart after a crash starts a fresh one as usual. The
kernel's start does not depend on the notebook (the sandbox copies the public
files, never the submission), so any submission can use a kernel started for
the course. A kernel nobody took is killed when the worker retires.
"""

from __future__ import annotations

import logging

from jupyter_core.utils import ensure_async, run_sync

log = logging.getLogger(__name__)


class WarmKernels:
    """Started kernel managers of one worker thread, by (manager class, kernel name)."""

    def __init__(self):
        self._ready = []

    def start(self, manager_class, *, kernel_name, config, extra_arguments=()) -> None:
        """Start one kernel now; its start-up continues while the caller works."""
        manager = manager_class(kernel_name=kernel_name, config=config)
        try:
            run_sync(manager.start_kernel)(extra_arguments=list(extra_arguments))
        except Exception as exc:  # noqa: BLE001 - the submission will start its own
            log.warning("Could not start a kernel ahead of its submission: %s", exc)
            self._kill(manager)
            return
        self._ready.append(((manager_class, kernel_name), manager))

    def take(self, manager_class, kernel_name):
        """A started, live manager for this class and kernel, or None."""
        for index, (key, manager) in enumerate(self._ready):
            if key == (manager_class, kernel_name):
                del self._ready[index]
                if run_sync(manager.is_alive)():
                    return manager
                self._kill(manager)
                return None
        return None

    def __len__(self) -> int:
        return len(self._ready)

    @staticmethod
    def _kill(manager) -> None:
        async def kill():
            await ensure_async(manager.shutdown_kernel(now=True))

        try:
            run_sync(kill)()
        except Exception as exc:  # noqa: BLE001 - best effort at retirement
            log.warning("Could not stop an unused kernel: %s", exc)

    def close(self) -> None:
        """Kill every kernel that was not taken."""
        ready, self._ready = self._ready, []
        for _, manager in ready:
            self._kill(manager)


def with_warm_kernels(execute_class, warm: WarmKernels, *, start_next):
    """``execute_class`` whose first kernel comes from ``warm``; ``start_next()``
    is called when the notebook's first cell starts (its kernel is up by then)."""

    class WarmStartExecute(execute_class):
        _started_next = False
        #: kernels of this run: started ahead (warm) or started for it (cold)
        warm_kernels = cold_kernels = 0

        def create_kernel_manager(self):
            fresh = super().create_kernel_manager()
            found = warm.take(type(fresh), fresh.kernel_name)
            if found is not None:
                self.km = found
                self.warm_kernels += 1
            else:
                self.cold_kernels += 1
            return self.km

        def preprocess_cell(self, cell, resources, index):
            if not self._started_next:
                self._started_next = True
                start_next()
            return super().preprocess_cell(cell, resources, index)

    WarmStartExecute.__name__ = execute_class.__name__
    WarmStartExecute.__qualname__ = execute_class.__qualname__
    return WarmStartExecute
