"""How much memory and CPU a submission's kernels used, read from /proc.

The kernels are not the worker's waited-for children (bubblewrap starts
them), so ``getrusage`` does not see them. :func:`measuring` wraps the
configured kernel manager so that, just before each kernel is shut down, its
processes' peak memory and CPU time are added to a :class:`KernelUsage`.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from jupyter_core.utils import ensure_async


@dataclass
class KernelUsage:
    peak_rss: int = 0
    cpu: float = 0.0

    def add_process_tree(self, pid: int) -> None:
        """Add what the process ``pid`` and its descendants used so far (Linux)."""
        if not os.path.isdir("/proc"):
            return
        ticks = os.sysconf("SC_CLK_TCK")
        for member in descendants(pid):
            try:
                status = Path(f"/proc/{member}/status").read_text()
                fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss = max(self.peak_rss, int(line.split()[1]) * 1024)
            self.cpu += (int(fields[11]) + int(fields[12])) / ticks


def descendants(pid) -> list:
    """``pid`` and every process below it."""
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


def measuring(kernel_manager_class, usage: KernelUsage):
    """The configured kernel manager, unchanged but for adding its kernel's
    usage to the class's ``usage`` (first ``usage``; a worker points it at each
    task's in turn) before the kernel is shut down."""

    class MeasuredKernelManager(kernel_manager_class):
        async def shutdown_kernel(self, now=False, restart=False):
            process = getattr(getattr(self, "provisioner", None), "process", None)
            if process is not None:
                type(self).usage.add_process_tree(process.pid)
            return await ensure_async(super().shutdown_kernel(now=now, restart=restart))

    MeasuredKernelManager.usage = usage
    MeasuredKernelManager.__name__ = kernel_manager_class.__name__
    MeasuredKernelManager.__qualname__ = kernel_manager_class.__qualname__
    return MeasuredKernelManager
