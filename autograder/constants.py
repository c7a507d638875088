"""Names shared by several layers: environment variables, files and folders.

This module imports nothing of the course, so every layer (the student's
kernel included) may use it. A name that only one module needs stays in that
module.
"""

from pathlib import Path

#: The installed ``autograder`` package (a sandboxed kernel sees its student side only).
PACKAGE_DIR = Path(__file__).resolve().parent

# -- environment variables ------------------------------------------------------
#: Set to "1" in a sandboxed kernel while the grader runs the notebook: the
#: notebook's own checks then stand aside (the grader judges from outside).
GRADING_ENV = "BACKPROP_GRADING"
#: The language of the notebook a grading kernel runs, set by the grader before the
#: notebook's first cell (the notebook's own loss plot is labelled in it).
NOTEBOOK_LANG_ENV = "BACKPROP_NOTEBOOK_LANG"
#: The sandbox's exchange folder, as the kernel sees it.
EXCHANGE_ENV = "AUTOGRADER_EXCHANGE_DIR"
#: A gradebook URL (e.g. PostgreSQL) that overrides the course's SQLite file.
DB_URL_ENV = "BACKPROP_DB_URL"

# -- the course folder ------------------------------------------------------------
COURSE_ID = "backprop-course"
CONFIG_FILE = "nbgrader_config.py"
SOLUTIONS_DIR = "solutions"
#: The course's own state: the plan cache, the run state, the logs.
STATE_DIR = ".backprop"
CACHE_DIR = "cache"
LOG_DIR = "logs"
STATE_FILE = "grade-state.json"
LAST_RUN_FILE = "last-run.json"
#: The structured results the verdict step keeps beside each graded notebook.
RESULTS_FILE = "backprop-results.json"
REPORTS_DIR = "reports"

# -- the sandbox's exchange folder ------------------------------------------------
#: The one file the harvest writes and the grader reads back.
PAYLOAD_FILE = "payload.json"
#: The largest array the harvest hands over for one value.
MAX_VALUE_SIZE = 10_000
MAX_DIMS = 3

# -- marks in a notebook's metadata -------------------------------------------------
#: ``metadata.backprop``: the grader's own marks (never trusted from a submission).
MARK = "backprop"
UNREADABLE = "unreadable"
RESTORED = "restored"
