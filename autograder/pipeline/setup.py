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
from ..core.course import ASSIGNMENT, EDITIONS
from .apply_verdicts import ApplyVerdicts
from .check_metadata import CheckCellMetadata
from .exporter import SafeNotebookExporter
from .feedback import TEMPLATE, TEMPLATES, FeedbackExporter
from .grades_export import CsvExport
from .guarded_execute import GuardedExecute
from .restore_cells import RestoreCells
from .student_html import SanitizeStudentOutputs
from .submission_copy import install as install_submission_copy

#: Cleaning a submission before it runs. Order matters: outputs and duplicate
#: ids go first, then the locked and grade cells are restored from the
#: gradebook (and missing ones re-added), then the metadata is checked (by
#: nbgrader's checks, with its schema compiled once: .check_metadata).
SANITIZE = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreCells, CheckCellMetadata]

#: Grading a clean submission. GuardedExecute runs it in the sandbox and
#: harvests values; SanitizeStudentOutputs makes what it printed inert before
#: anything is saved; ApplyVerdicts must come after both (it reads the harvest
#: and writes the trusted verdict HTML) and before SaveAutoGrades (which reads
#: the scores ApplyVerdicts writes).
AUTOGRADE = [GuardedExecute, SanitizeStudentOutputs, ClearMetadataPreprocessor, LimitOutput,
             ApplyVerdicts, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
#: What every HTML page nbconvert writes for the course (feedback, formgrader) uses.
STUDENT_HTML = "autograder.pipeline.student_html"


def page_templates() -> dict:
    """The template folders of the course's HTML pages on this machine, by
    ``(section, setting)``: nbgrader's own templates first, so that its formgrader
    finds them, then the course's (which replace nbconvert's MathJax macro); and
    where the feedback page finds nbgrader's ('feedback/index.html.j2') and its CSS."""
    import nbgrader

    formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    return {
        ("HTMLExporter", "extra_template_basedirs"): [str(formgrader / "templates"),
                                                      str(TEMPLATES)],
        ("FeedbackExporter", "extra_template_paths"): [
            str(formgrader / "templates"),
            str(formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css")],
    }


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
    # `nbgrader export`: nbgrader's CSV, a query per assignment instead of three per student.
    c.ExportApp.plugin_class = CsvExport
    # The submission's other files are copied without following links, within bounds.
    install_submission_copy()
    # The source's data files, never the student's copies, are used when grading.
    c.Autograde.exclude_overwriting = {}

    # Training takes about 5 s; a cell gets 12 times that, a whole submission 240 s.
    c.Execute.timeout = 60
    c.GuardedExecute.timeout = 60
    c.GuardedExecute.submission_timeout = 240
    c.LimitOutput.max_lines = 200

    # Feedback and formgrader pages: a submission's outputs and Markdown made inert (the
    # grader's verdicts kept as written), maths as MathML (no script, no CDN), check cells
    # show their verdicts, the feedback's summary names the items.
    for (section, key), folders in page_templates().items():
        c[section][key] = folders
    c.HTMLExporter.preprocessors = [f"{STUDENT_HTML}.SanitizeStudentOutputs"]
    c.HTMLExporter.filters = {"backprop_math_style": "autograder.pipeline.feedback.math_style",
                              "markdown2html": f"{STUDENT_HTML}.markdown2html"}
    c.GenerateFeedback.exporter_class = FeedbackExporter
    c.FeedbackExporter.template_name = TEMPLATE

    # The public files (data_prep.py, binary.csv) of the release: every edition ships the
    # same bytes, so the assignment's own release, or any edition's that exists, serves.
    public = next((folder for folder in [root / "release" / assignment] +
                   [root / "release" / name for name in EDITIONS] if folder.is_dir()),
                  root / "release" / assignment)
    c.BackpropGrader.solutions_dir = str(root / SOLUTIONS_DIR)
    c.BackpropGrader.public_dir = str(public)
    c.BackpropGrader.cache_dir = str(root / STATE_DIR / CACHE_DIR)
    c.SandboxedKernelManager.public_dir = str(public)
    # The kernel sees the student side of the package only (SandboxedKernelManager.package_dir).
    return c
