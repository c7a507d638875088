"""What the coordinator does with each returned submission, in batches.

Each :class:`~.records.GradedRecord` has its autograded folder written at
once (as nbgrader writes it, with nbgrader's permissions) and waits for its
batch. A batch goes to the gradebook in one transaction (:mod:`.gradebook_writer`)
when it is full, when it has waited long enough, or at the end; only then are
its students recorded as graded and counted on the progress bar. A student
whose rows could not be written fails alone, its folder removed as nbgrader
removes a failed one.
"""

import shutil
import time
from pathlib import Path

from ..i18n import _
from .outcome import describe_error
from .tasks import write_public_files

#: Students written to the gradebook in one transaction (at most).
BATCH_SIZE = 200
#: Seconds a returned submission may wait for its batch.
BATCH_SECONDS = 5.0


class Results:
    """The returned submissions of a run, on their way to disk and gradebook."""

    def __init__(self, run, writer, progress):
        self.run, self.writer, self.progress = run, writer, progress
        self.batch, self.since = [], None

    # -- one submission ---------------------------------------------------------------
    def _dest(self, student) -> Path:
        return Path(self.run.converter._format_dest(self.run.assignment, student))

    def _write_folder(self, record) -> None:
        dest = self._dest(record.student)
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        write_public_files(record.files, str(dest))
        self.run.converter.set_permissions(self.run.assignment, record.student)

    def add(self, record, info) -> None:
        """A worker's record: its folder now, its rows with the next batch."""
        if record.ok:
            try:
                self._write_folder(record)
            except OSError as exc:
                record.failure = _("its autograded folder could not be written: "
                                   "{error}").format(error=describe_error(exc))
        if not record.ok:
            self._discard(record.student)
        self.batch.append((record, info, time.monotonic()))
        if self.since is None:
            self.since = time.monotonic()
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush_if_due(self, *, final=False) -> None:
        if self.batch and (final or time.monotonic() - self.since >= BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Write the batch to the gradebook, then record and report its students."""
        batch, self.batch, self.since = self.batch, [], None
        if not batch:
            return
        errors = self.writer.write([entry[0] for entry in batch])
        written = time.monotonic()
        graded, failed = {}, []
        for record, info, arrived in batch:
            error = errors.get(record.student)
            if error is not None:
                self._discard(record.student)
                self.fail(record.student, _("its grades could not be written to the gradebook: "
                                            "{error}").format(error=describe_error(error)),
                          error, forget=False)
                failed.append(record.student)
            elif not record.ok:
                self.fail(record.student, record.failure, forget=False)
                failed.append(record.student)
            else:
                graded[record.student] = record
                self._done(record, info, written - arrived)
        run = self.run
        if failed:
            run.state.forget_many(run.assignment, failed)
        if graded:
            run.state.record_many(run.assignment, {
                student: dict(submission=run.hashes[student][0], grading=run.grading,
                              seconds=record.timings.get("seconds"),
                              signature=run.hashes[student][1])
                for student, record in graded.items()})

    # -- bookkeeping ------------------------------------------------------------------
    def _discard(self, student) -> None:
        dest = self._dest(student)
        if dest.exists():
            self.run.converter.log.warning("Removing failed assignment: %s", dest)
            shutil.rmtree(dest, ignore_errors=True)

    def fail(self, student, reason, exc=None, *, forget=True) -> None:
        run = self.run
        run.report.failed[student] = reason
        if forget:
            run.state.forget(run.assignment, student)
        run.converter.log.error("Failed to grade %s: %s", student, reason,
                                exc_info=(type(exc), exc, exc.__traceback__) if exc else None)
        if self.progress:
            self.progress.step(student, ok=False)

    def _done(self, record, info, finish) -> None:
        report, timings = self.run.report, record.timings
        report.graded.append(record.student)
        started = timings.get("started")
        if started and (report.first_started is None or started < report.first_started):
            report.first_started = started
        report.timings[record.student] = {
            "started": round(started or 0.0, 3),  # wall clock, when a worker began it
            "prepare": round(timings.get("prepare", 0.0), 3),
            "queued": round((started or 0.0) - info["submitted_wall"], 3),
            "execute": round(timings.get("execute", 0.0), 3),
            "finish": round(timings.get("finish", 0.0), 3),
            "write": round(finish, 3),
            "cpu_worker": round(timings.get("cpu_worker", 0.0), 3),
            "cpu_kernels": round(timings.get("cpu_kernels", 0.0), 3),
            "turnaround": round(time.monotonic() - info["submitted"], 3),
            "seconds": round(timings.get("seconds", 0.0), 3),
            "worker": timings.get("worker", ""),
            "kernels": timings.get("kernels", {}),
        }
        seen = report.workers.setdefault(timings.get("worker", "?"),
                                         {"tasks": 0, "worker_peak_rss": 0, "kernel_peak_rss": 0})
        seen["tasks"] += 1
        seen["worker_peak_rss"] = max(seen["worker_peak_rss"], timings.get("worker_peak_rss", 0))
        seen["kernel_peak_rss"] = max(seen["kernel_peak_rss"], timings.get("kernel_peak_rss", 0))
        if self.progress:
            self.progress.step(record.student)

