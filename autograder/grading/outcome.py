"""What a grading run did, and the text it ends with."""

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _, ngettext


class GradeSetupError(RuntimeError):
    """The course, the assignment or the options are unusable (exit code 2)."""


class GradeAborted(RuntimeError):
    """The run had to stop: the gradebook failed, or a worker hung (exit code 1).

    Whatever was graded before is kept; the next run completes the rest."""


#: Why a graded submission has no feedback page.
NO_FEEDBACK = N_("its feedback could not be written: {error}")


@dataclass
class GradeReport:
    """What one ``grade_class`` call did."""

    assignment: str
    course: Path
    pool: str = ""
    seed: int = None
    submissions: list = field(default_factory=list)
    graded: list = field(default_factory=list)
    order: list = field(default_factory=list)
    up_to_date: list = field(default_factory=list)
    failed: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    workers: dict = field(default_factory=dict)
    refused_workers: dict = field(default_factory=dict)
    seconds: float = 0.0
    coordinator_cpu: float = 0.0
    #: the coordinator's CPU seconds (since the command started) when it sent the
    #: first submission, and when the first submission began on a worker (wall clock)
    fixed_cpu: float = 0.0
    first_started: float = None
    log_file: Path = None
    #: How the student kernels are isolated, in one line (:func:`sandbox_line`).
    sandbox: str = ""
    #: With ``--feedback``: the feedback folders written, the students whose
    #: gradebook rows hold what no worker sees (``generate_feedback`` writes
    #: theirs), and why the others' could not be written.
    feedback: bool = False
    feedback_written: int = 0
    feedback_left: list = field(default_factory=list)
    feedback_failed: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.feedback_failed

    def to_dict(self) -> dict:
        return {
            "assignment": self.assignment, "course": str(self.course), "pool": self.pool,
            "submissions": self.submissions, "order": self.order, "graded": self.graded,
            "up_to_date": self.up_to_date, "failed": self.failed, "timings": self.timings,
            "workers": self.workers, "refused_workers": self.refused_workers,
            "seconds": round(self.seconds, 3),
            "coordinator_cpu": round(self.coordinator_cpu, 3),
            "fixed_cpu": round(self.fixed_cpu, 3), "first_started": self.first_started,
            "log_file": str(self.log_file) if self.log_file else None,
            "sandbox": self.sandbox, "feedback": self.feedback,
            "feedback_written": self.feedback_written,
            "feedback_left": sorted(self.feedback_left),
            "feedback_failed": self.feedback_failed,
        }


def sandbox_line(scheduler=None, require_sandbox=False) -> str:
    """Whether the student kernels run in the sandbox, as ``nbgrader autograde`` logs it."""
    if scheduler and require_sandbox:
        return _("on the Dask workers: each worker's log says whether its kernels run in "
                 "bubblewrap (required)")
    if scheduler:
        return _("on the Dask workers: each worker's log says whether its kernels run in "
                 "bubblewrap")
    from ..sandbox.probe import describe_sandbox

    return describe_sandbox()


def mib(n) -> str:
    return f"{n / 2**20:.0f} MiB"


def _graded_line(report: GradeReport) -> str:
    """"Graded 3 submissions of 'backprop' in 12.0 s, 15.0 per minute with ..."."""
    n = len(report.graded)
    values = dict(n=n, assignment=report.assignment, seconds=report.seconds, pool=report.pool)
    if n and report.seconds:
        values["rate"] = 60 * n / report.seconds
        if report.pool:
            return ngettext("Graded {n} submission of {assignment!r} in {seconds:.1f} s, "
                            "{rate:.1f} per minute with {pool}.",
                            "Graded {n} submissions of {assignment!r} in {seconds:.1f} s, "
                            "{rate:.1f} per minute with {pool}.", n).format(**values)
        return ngettext("Graded {n} submission of {assignment!r} in {seconds:.1f} s, "
                        "{rate:.1f} per minute.",
                        "Graded {n} submissions of {assignment!r} in {seconds:.1f} s, "
                        "{rate:.1f} per minute.", n).format(**values)
    if report.pool:
        return ngettext("Graded {n} submission of {assignment!r} in {seconds:.1f} s with "
                        "{pool}.",
                        "Graded {n} submissions of {assignment!r} in {seconds:.1f} s with "
                        "{pool}.", n).format(**values)
    return ngettext("Graded {n} submission of {assignment!r} in {seconds:.1f} s.",
                    "Graded {n} submissions of {assignment!r} in {seconds:.1f} s.",
                    n).format(**values)


def _feedback_lines(report: GradeReport) -> list:
    if not report.feedback:
        return []
    folder = f"feedback/<student>/{report.assignment}/"
    lines = [ngettext("Wrote the feedback of {n} submission to {folder}",
                      "Wrote the feedback of {n} submissions to {folder}",
                      report.feedback_written).format(n=report.feedback_written, folder=folder)]
    if report.feedback_left:
        n = len(report.feedback_left)
        lines.append(ngettext(
            "{n} submission has grades in the gradebook that the workers do not see (manual "
            "grades, extra credit or an extension); `nbgrader generate_feedback {assignment}` "
            "writes its feedback: {students}",
            "{n} submissions have grades in the gradebook that the workers do not see (manual "
            "grades, extra credit or an extension); `nbgrader generate_feedback {assignment}` "
            "writes their feedback: {students}", n).format(
                n=n, assignment=report.assignment, students=", ".join(sorted(report.feedback_left))))
    if report.feedback_failed:
        n = len(report.feedback_failed)
        lines.extend(_with_reasons(ngettext("NO FEEDBACK: {n} graded submission",
                                            "NO FEEDBACK: {n} graded submissions", n).format(n=n),
                                   report.feedback_failed))
    return lines


def _with_reasons(heading: str, reasons: dict) -> list:
    """``heading``, then one indented line per student: why."""
    return [heading] + [f"  {student}: {reason}" for student, reason in sorted(reasons.items())]


def summary(report: GradeReport) -> str:
    """The final text: counts, speed, every submission that FAILED TO GRADE."""
    lines = []
    if report.sandbox:
        lines.append(_("Student kernels: {sandbox}").format(sandbox=report.sandbox))
    lines.append(_graded_line(report))
    if report.up_to_date:
        n = len(report.up_to_date)
        lines.append(ngettext("{n} unchanged submission was already graded (--force "
                              "regrades them).",
                              "{n} unchanged submissions were already graded (--force "
                              "regrades them).", n).format(n=n))
    for key, info in sorted(report.workers.items()):
        lines.append("  " + _("worker {worker}: {tasks} task(s), peak memory {memory} (its "
                              "kernels {kernel_memory})").format(
            worker=key, tasks=info["tasks"], memory=mib(info["worker_peak_rss"]),
            kernel_memory=mib(info["kernel_peak_rss"])))
    for key, reason in sorted(report.refused_workers.items()):
        lines.append("  " + _("worker {worker} was not used: {reason}").format(
            worker=key, reason=reason))
    lines.extend(_feedback_lines(report))
    if report.failed:
        n = len(report.failed)
        lines.extend(_with_reasons(ngettext("FAILED TO GRADE: {n} submission",
                                            "FAILED TO GRADE: {n} submissions", n).format(n=n),
                                   report.failed))
    if report.log_file:
        lines.append(_("Log: {path}").format(path=report.log_file))
    return "\n".join(lines)


def describe_error(exc) -> str:
    """One line naming an exception and its last line of text."""
    text = str(exc).strip().splitlines()
    detail = text[-1] if text else ""
    return f"{type(exc).__name__}: {detail}"[:500] if detail else type(exc).__name__
