"""What the coordinator does with each returned submission, in batches.

Each :class:`~.records.GradedRecord` has its autograded folder written at
once (as nbgrader writes it, with nbgrader's permissions) and waits for its
batch. A batch goes to the gradebook in one transaction (:mod:`.gradebook_writer`)
when it is full, when it has waited long enough, or at the end; only then are
its students recorded as graded and counted on the progress bar. A student
whose rows could not be written fails alone, its folder removed as nbgrader
removes a failed one.

In a run with feedback, the batch's feedback folders are written once its
grades are in the gradebook, and before its students are recorded as graded:
a run stopped in between grades them again.
"""

import shutil
import time
from pathlib import Path

from ..i18n import _
from .outcome import NO_FEEDBACK, describe_error
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
        if run.feedback and graded:
            # graded, but with no page: not recorded, so that the next run writes one
            failed.extend(self._write_feedback(graded))
            graded = {s: r for s, r in graded.items() if s not in run.report.feedback_failed}
        left = set(run.report.feedback_left)
        if failed:
            run.state.forget_many(run.assignment, failed)
        if graded:
            run.state.record_many(run.assignment, {
                student: dict(submission=run.hashes[student][0], grading=run.grading,
                              seconds=record.timings.get("seconds"),
                              signature=run.hashes[student][1],
                              feedback_left=student in left)
                for student, record in graded.items()})

    # -- feedback -----------------------------------------------------------------------
    def _write_feedback(self, graded) -> list:
        """The feedback folders of a written batch, where the page the worker wrote is
        the page ``nbgrader generate_feedback`` would write from the real gradebook;
        returns the students whose folder could not be written."""
        from .feedback_basis import read_bases

        run, report = self.run, self.run.report
        failed = []
        with self.writer.engine.connect() as db:
            real = read_bases(db, run.assignment, [s for s, r in graded.items() if r.feedback])
        for student, record in graded.items():
            if not record.feedback:
                report.feedback_failed[student] = record.feedback_failure or _(
                    NO_FEEDBACK).format(error=_("the worker wrote none"))
                failed.append(student)
            elif real.get(student) != record.feedback_basis:
                report.feedback_left.append(student)
            else:
                try:
                    self._write_pages(record)
                except OSError as exc:
                    report.feedback_failed[student] = _(NO_FEEDBACK).format(
                        error=describe_error(exc))
                    failed.append(student)
                else:
                    report.feedback_written += 1
        return failed

    def _write_pages(self, record) -> None:
        """Write the folder as ``generate_feedback`` updates it: the old one replaced
        whole, nbgrader's permissions set."""
        pages, assignment = self.run.feedback_converter, self.run.assignment
        dest = Path(pages._format_dest(assignment, record.student))
        if dest.exists():
            pages.log.warning("Updating existing assignment: %s", dest)
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        write_public_files(record.feedback, str(dest))
        pages.set_permissions(assignment, record.student)

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
            "feedback": round(timings.get("feedback", 0.0), 3),
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

