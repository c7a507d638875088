"""What a grading run did, and the text it ends with."""

from dataclasses import dataclass, field
from pathlib import Path


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
    seconds: float = 0.0
    coordinator_cpu: float = 0.0
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
            "workers": self.workers, "seconds": round(self.seconds, 3),
            "coordinator_cpu": round(self.coordinator_cpu, 3),
            "log_file": str(self.log_file) if self.log_file else None,
            "sandbox": self.sandbox,
        }


def sandbox_line(scheduler=None, require_sandbox=False) -> str:
    """Whether the student kernels run in the sandbox, as ``nbgrader autograde`` logs it."""
    if scheduler:
        return ("on the Dask workers: each worker's log says whether its kernels run in "
                "bubblewrap" + (" (required)" if require_sandbox else ""))
    from ..sandbox.probe import describe_sandbox

    return describe_sandbox()


def mib(n) -> str:
    return f"{n / 2**20:.0f} MiB"


def summary(report: GradeReport) -> str:
    """The final text: counts, speed, every submission that FAILED TO GRADE."""
    lines = []
    if report.sandbox:
        lines.append(f"Student kernels: {report.sandbox}")
    n = len(report.graded)
    rate = f", {60 * n / report.seconds:.1f} per minute" if n and report.seconds else ""
    lines.append(f"Graded {n} submission{'s' * (n != 1)} of {report.assignment!r} in "
                 f"{report.seconds:.1f} s{rate}" + (f" with {report.pool}" if report.pool else "")
                 + ".")
    if report.up_to_date:
        lines.append(f"{len(report.up_to_date)} unchanged submission"
                     f"{'s were' if len(report.up_to_date) != 1 else ' was'} already graded "
                     "(--force regrades them).")
    for key, info in sorted(report.workers.items()):
        lines.append(f"  worker {key}: {info['tasks']} task(s), peak memory "
                     f"{mib(info['worker_peak_rss'])} (its kernels {mib(info['kernel_peak_rss'])})")
    if report.failed:
        lines.append(f"FAILED TO GRADE: {len(report.failed)} submission"
                     f"{'s' * (len(report.failed) != 1)}")
        for student, reason in sorted(report.failed.items()):
            lines.append(f"  {student}: {reason}")
    if report.log_file:
        lines.append(f"Log: {report.log_file}")
    return "\n".join(lines)


def describe_error(exc) -> str:
    """One line naming an exception and its last line of text."""
    text = str(exc).strip().splitlines()
    detail = text[-1] if text else ""
    return f"{type(exc).__name__}: {detail}"[:500] if detail else type(exc).__name__
