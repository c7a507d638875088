"""What a grading run did, and the text it ends with."""

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _, ngettext


class GradeSetupError(RuntimeError):
    """The course, the assignment or the options are unusable (exit code 2)."""


class GradeAborted(RuntimeError):
    """The run had to stop: the gradebook failed, or a worker hung (exit code 1).

    Whatever was graded before is kept; the next run completes the rest."""


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

    @property
    def ok(self) -> bool:
        return not self.failed

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
            "sandbox": self.sandbox,
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
    if report.failed:
        n = len(report.failed)
        lines.append(ngettext("FAILED TO GRADE: {n} submission",
                              "FAILED TO GRADE: {n} submissions", n).format(n=n))
        for student, reason in sorted(report.failed.items()):
            lines.append(f"  {student}: {reason}")
    if report.log_file:
        lines.append(_("Log: {path}").format(path=report.log_file))
    return "\n".join(lines)


def describe_error(exc) -> str:
    """One line naming an exception and its last line of text."""
    text = str(exc).strip().splitlines()
    detail = text[-1] if text else ""
    return f"{type(exc).__name__}: {detail}"[:500] if detail else type(exc).__name__
