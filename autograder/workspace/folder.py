"""A course folder on disk: make one, run nbgrader in it, read its gradebook.

Every nbgrader command runs as a subprocess of this very Python
(``python -m nbgrader``), with this environment's ``bin`` folder first on
``PATH`` (nbgrader calls ``alembic`` by name when it creates a gradebook).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..constants import CONFIG_FILE, SOLUTIONS_DIR
from ..core.course import ASSIGNMENT, NOTEBOOK

#: The folders and files that make a course, relative to its root.
COURSE_FILES = (CONFIG_FILE, "source", SOLUTIONS_DIR)


class CourseError(RuntimeError):
    """A course folder is incomplete, or an nbgrader command failed."""


def find_course_root(start=None) -> Path:
    """The nearest folder holding ``nbgrader_config.py`` and ``source/``."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
            return folder
    packaged = Path(__file__).resolve().parents[2]
    if (packaged / "nbgrader_config.py").is_file() and (packaged / "source").is_dir():
        return packaged
    raise CourseError(f"no course folder (nbgrader_config.py and source/) at or above {here}")


def make_course(dest, *, template=None, with_release=False) -> Path:
    """Copy the course's sources into ``dest`` (created if needed)."""
    template = Path(template) if template else find_course_root()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    names = COURSE_FILES + (("release",) if with_release else ())
    for name in names:
        src = template / name
        if not src.exists():
            raise CourseError(f"the course template lacks {src}")
        if src.is_dir():
            shutil.copytree(src, dest / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def tool_env(extra=None) -> dict:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


def nbgrader(args, *, course, check=True, quiet=True, env=None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course``; raise :class:`CourseError` on failure."""
    command = [sys.executable, "-m", "nbgrader", *map(str, args)]
    result = subprocess.run(command, cwd=str(course), env=tool_env(env), text=True,
                            stdout=subprocess.PIPE if quiet else None,
                            stderr=subprocess.STDOUT if quiet else None)
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout or "").splitlines()[-30:])
        raise CourseError(f"`nbgrader {' '.join(map(str, args))}` failed "
                          f"(exit {result.returncode}):\n{tail}")
    return result


def db_url(course) -> str:
    """The gradebook URL the course's config uses."""
    from traitlets.config.loader import PyFileConfigLoader

    loader = PyFileConfigLoader("nbgrader_config.py", path=str(course))
    config = loader.load_config()
    return config.CourseDirectory.db_url


def read_grades(course, assignment=ASSIGNMENT, notebook=NOTEBOOK) -> dict:
    """``{student: {grade_id: score}}`` for every autograded submission.

    Two queries, whatever the size of the class: the submitted notebooks, then
    every grade with nbgrader's own score expression (manual over automatic,
    plus extra credit)."""
    from nbgrader.api import (Assignment, BaseCell, Grade, Gradebook, Notebook,
                              SubmittedAssignment, SubmittedNotebook)

    table = {}
    with Gradebook(db_url(course)) as gradebook:
        def submitted(*columns):
            return (gradebook.db.query(*columns).select_from(SubmittedNotebook)
                    .join(SubmittedAssignment,
                          SubmittedAssignment.id == SubmittedNotebook.assignment_id)
                    .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
                    .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
                    .filter(Assignment.name == assignment, Notebook.name == notebook))

        for (student,) in submitted(SubmittedAssignment.student_id):
            table[student] = {}
        rows = (submitted(SubmittedAssignment.student_id, BaseCell.name, Grade.score)
                .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
                .join(BaseCell, BaseCell.id == Grade.cell_id))
        for student, grade_id, score in rows:
            table[student][grade_id] = None if score is None else float(score)
    return table
