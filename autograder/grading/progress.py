"""The progress bar of a grading run (tqdm), on stderr.

On a terminal tqdm redraws the bar in place. Anywhere else (a log file, a
pipe) the same bar, formatted by tqdm, is written once per finished
submission, so a log shows one ``i/n`` line per submission and no control
characters.
"""

import sys
import time

from tqdm import tqdm

from ..i18n import _

BAR = "{l_bar}{bar:30}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]{postfix}"


class Progress:
    """Counts finished steps (submissions, by default); the postfix names the
    last one and the failures so far."""

    def __init__(self, total, stream=None, *, unit="submission"):
        self.stream = stream or sys.stderr
        self.total, self.done, self.failed = total, 0, 0
        self.started = time.monotonic()
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._bar = tqdm(total=total, file=self.stream, unit=unit,
                         bar_format=BAR) if tty else None

    def postfix(self, student, ok) -> str:
        """The last submission, and the failures so far (a failed one is one of them)."""
        if not ok:
            return _("{failed} failed, {student} FAILED").format(failed=self.failed,
                                                                 student=student)
        if self.failed:
            return _("{failed} failed, {student}").format(failed=self.failed, student=student)
        return str(student)

    def step(self, student, ok=True) -> None:
        self.done += 1
        self.failed += not ok
        postfix = self.postfix(student, ok)
        if self._bar is not None:
            self._bar.set_postfix_str(postfix, refresh=False)
            self._bar.update(1)
            if self.done >= self.total:
                self._bar.close()
            return
        line = tqdm.format_meter(self.done, self.total, time.monotonic() - self.started,
                                 ascii=True, bar_format=BAR, postfix=postfix)
        self.stream.write(line + "\n")
        self.stream.flush()
