"""The files of a grading run in ``.backprop/``: the lock, the logs, the last run."""

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from ..constants import LAST_RUN_FILE, LOG_DIR
from ..i18n import _
from ..safe_files import atomic_write_json
from .outcome import GradeSetupError

#: Log files kept per course; older ones are removed when a run starts.
KEEP_LOGS = 20


@contextmanager
def run_lock(state_dir: Path):
    """Hold ``grade.lock``: one ``backprop grade`` per course at a time."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "grade.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise GradeSetupError(_("another `backprop grade` is running in this course "
                                    "({lock} is locked)").format(
                                        lock=state_dir / "grade.lock")) from None
        yield


def remove_stale_run_dirs(state_dir: Path) -> None:
    """Remove the private ``run-<pid>`` folders (kit and plan for local workers) that
    a killed run left; called with the run lock held, so none is in use."""
    for folder in Path(state_dir).glob("run-*"):
        if folder.is_dir() and not folder.is_symlink():
            for name in ("kit.pickle", "plan.pickle"):
                (folder / name).unlink(missing_ok=True)
            try:
                folder.rmdir()
            except OSError:
                pass


def log_files(state_dir: Path):
    """The coordinator's and the workers' log files of a new run (old logs rotated)."""
    logs = Path(state_dir) / LOG_DIR
    logs.mkdir(parents=True, exist_ok=True)
    old = sorted(logs.glob("grade-*.log"))
    for path in old[:max(0, len(old) - KEEP_LOGS)]:
        path.unlink(missing_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
    return logs / f"grade-{stamp}.log", logs / f"grade-{stamp}-workers.log"


def write_last_run(state_dir, report) -> None:
    """``last-run.json``: the run's report, for the class report and the next run."""
    try:
        atomic_write_json(Path(state_dir) / LAST_RUN_FILE, report.to_dict(), indent=1)
    except OSError:
        pass
