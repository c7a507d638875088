"""Everything this course sets in nbgrader's configuration, in one place.

``nbgrader_config.py`` at the course root calls :func:`configure`, so plain
``nbgrader autograde``, the formgrader's "autograde" button and
``backprop grade`` all run the same protected pipeline.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from ..constants import (
    CACHE_DIR,
    COURSE_ID,
    DB_URL_ENV,
    RESULTS_FILE,
    SOLUTIONS_DIR,
    STATE_DIR,
)
from ..core.course import ASSIGNMENT
from .apply_verdicts import ApplyVerdicts
from .exporter import SafeNotebookExporter
from .guarded_execute import GuardedExecute
from .restore_cells import RestoreCells
from .submission_copy import install as install_submission_copy

#: Cleaning a submission before it runs. Order matters: outputs and duplicate
#: ids go first, then the locked and grade cells are restored from the
#: gradebook (and missing ones re-added), then the metadata is checked.
SANITIZE = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreCells, CheckCellMetadata]

#: Grading a clean submission. GuardedExecute runs it in the sandbox and
#: harvests values; ApplyVerdicts must come after it (it reads the harvest)
#: and before SaveAutoGrades (which reads the scores ApplyVerdicts writes).
AUTOGRADE = [GuardedExecute, ClearMetadataPreprocessor, LimitOutput, ApplyVerdicts,
             SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def configure(c, course_root, assignment=ASSIGNMENT):
    """Fill the nbgrader config ``c`` for the course rooted at ``course_root``."""
    root = Path(course_root).resolve()
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = os.environ.get(DB_URL_ENV) or f"sqlite:///{root / 'gradebook.db'}"
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                                "*.tmp", RESULTS_FILE]

    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
    c.ClearSolutions.enforce_metadata = True

    c.Autograde.sanitize_preprocessors = SANITIZE
    c.Autograde.autograde_preprocessors = AUTOGRADE
    # Unreadable notebooks score 0 with a reason; nbgrader metadata comes from the gradebook.
    c.Autograde.exporter_class = SafeNotebookExporter
    # The submission's other files are copied without following links, within bounds.
    install_submission_copy()
    # The source's data files, never the student's copies, are used when grading.
    c.Autograde.exclude_overwriting = {}

    # Training takes about 5 s; a cell gets 12 times that, a whole submission 240 s.
    c.Execute.timeout = 60
    c.GuardedExecute.timeout = 60
    c.GuardedExecute.submission_timeout = 240
    c.LimitOutput.max_lines = 200

    public = root / "release" / assignment
    c.BackpropGrader.solutions_dir = str(root / SOLUTIONS_DIR)
    c.BackpropGrader.public_dir = str(public)
    c.BackpropGrader.cache_dir = str(root / STATE_DIR / CACHE_DIR)
    c.SandboxedKernelManager.public_dir = str(public)
    # The kernel sees the student side of the package only (SandboxedKernelManager.package_dir).
    return c
