"""Where a student kernel's own stdout and stderr go.

What a student prints reaches the notebook over the kernel protocol, where
the grader caps it. What the kernel *process* writes to its file descriptors
1 and 2 (``os.write(1, ...)``, C extensions, the kernel's start-up banner,
bubblewrap's errors) does not: inherited from the grader, it would flood the
grader's log; and once that log is a file larger than the kernel's
RLIMIT_FSIZE, every later kernel that inherits it is killed by SIGXFSZ at its
first write, so one submission breaks the grading of the rest of the class.

:class:`CappedOutput` gives the kernel a pipe instead. A thread of the grader
drains it, keeps the first ``max_bytes`` (for the grader's log) and counts
and drops the rest, so the kernel never blocks on it for long and nothing it
writes reaches the grader's own stdout or stderr.
"""
from __future__ import annotations

import os
import threading


class CappedOutput:
    """A pipe for a child's stdout/stderr that keeps at most ``max_bytes``."""

    def __init__(self, max_bytes: int = 64 * 1024):
        self.max_bytes = max(0, int(max_bytes))
        self.kept = bytearray()
        self.total = 0
        read_fd, self.write_fd = os.pipe()
        self._thread = threading.Thread(target=self._drain, args=(read_fd,),
                                        name="kernel-output", daemon=True)
        self._thread.start()

    def _drain(self, read_fd: int) -> None:
        try:
            while True:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    return
                self.total += len(chunk)
                room = self.max_bytes - len(self.kept)
                if room > 0:
                    self.kept += chunk[:room]
        except OSError:
            return
        finally:
            os.close(read_fd)

    def release_writer(self) -> None:
        """Close the grader's copy of the write end (call once the child has started)."""
        if self.write_fd is not None:
            os.close(self.write_fd)
            self.write_fd = None

    def close(self, timeout: float = 2.0) -> tuple[bytes, int]:
        """Stop writing, wait briefly for the drain; returns (kept bytes, total bytes)."""
        self.release_writer()
        self._thread.join(timeout)
        return bytes(self.kept), self.total

    @property
    def dropped(self) -> int:
        return max(0, self.total - len(self.kept))


__all__ = ["CappedOutput"]
