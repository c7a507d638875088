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
from ..i18n import _

#: The folders and files that make a course, relative to its root.
COURSE_FILES = (CONFIG_FILE, "source", SOLUTIONS_DIR)
SQLITE_PREFIX = "sqlite:///"


class CourseError(RuntimeError):
    """A course folder is incomplete, or an nbgrader command failed."""


def is_course(folder) -> bool:
    """Whether ``folder`` holds a course: ``nbgrader_config.py`` and ``source/``."""
    folder = Path(folder)
    return (folder / CONFIG_FILE).is_file() and (folder / "source").is_dir()


def find_course_root(start=None) -> Path:
    """The nearest folder at or above ``start`` (default: the current folder) that
    holds a course. Nothing else is tried: outside a course this raises
    :class:`CourseError`, so that no command writes into some other folder."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if is_course(folder):
            return folder
    raise CourseError(_("no course folder ({config} and source/) at or above {folder}; "
                        "run this inside a course or pass --course DIR").format(
                            config=CONFIG_FILE, folder=here))


def course_folder(course=None) -> Path:
    """The course a command works on: ``course`` when given (it must be a course),
    else the one found from the current folder (:func:`find_course_root`)."""
    if course is None:
        return find_course_root()
    root = Path(course).resolve()
    if not is_course(root):
        raise CourseError(_("{folder} is not a course folder (no {config} and source/)").format(
            folder=root, config=CONFIG_FILE))
    return root


def course_template() -> Path:
    """The course this package was installed from (the repository that holds it):
    what ``backprop demo`` and the tests copy. Never a place to grade in."""
    packaged = Path(__file__).resolve().parents[2]
    if not is_course(packaged):
        raise CourseError(_("the course files ({config}, source/, solutions/) are not "
                            "next to the installed package in {folder}").format(
                                config=CONFIG_FILE, folder=packaged))
    return packaged


def make_course(dest, *, template=None, with_release=False) -> Path:
    """Copy the course's sources into ``dest`` (created if needed)."""
    template = Path(template) if template else course_template()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    names = COURSE_FILES + (("release",) if with_release else ())
    for name in names:
        src = template / name
        if not src.exists():
            raise CourseError(_("the course template lacks {path}").format(path=src))
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
        raise CourseError(_("`{command}` failed (exit {code}):\n{output}").format(
            command="nbgrader " + " ".join(map(str, args)), code=result.returncode,
            output=tail))
    return result


def _load_config(folder):
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG_FILE, path=str(folder)).load_config()


def course_config(course):
    """The course's nbgrader configuration, loaded from its ``nbgrader_config.py`` as the
    ``nbgrader`` command loads it inside the course folder. Give it to nbgrader's Python
    API, ``NbGraderAPI(config=course_config(root))``: with a bare ``Config`` (the pattern of
    nbgrader's API documentation) nbgrader grades without the sandbox and the verdicts."""
    return _load_config(course_folder(course))


def db_url(course) -> str:
    """The gradebook URL the course's config uses."""
    return _load_config(course).CourseDirectory.db_url


def require_assignment(course, assignment) -> None:
    """Raise :class:`CourseError` unless the course's gradebook knows ``assignment``.

    A missing SQLite gradebook is reported as such, without creating one."""
    from nbgrader.api import Gradebook, MissingEntry

    url = db_url(course)
    if url.startswith(SQLITE_PREFIX) and not Path(url[len(SQLITE_PREFIX):]).is_file():
        raise CourseError(_("no gradebook in {course}: nothing was generated or graded there "
                            "yet (run `nbgrader generate_assignment {assignment}`)").format(
                                course=course, assignment=assignment))
    with Gradebook(url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            names = sorted(a.name for a in gradebook.assignments)
            if names:
                message = _("unknown assignment {assignment!r}: the gradebook of {course} "
                            "has no such assignment (it has: {known})")
            else:
                message = _("unknown assignment {assignment!r}: the gradebook of {course} "
                            "has no such assignment (it has: none)")
            raise CourseError(message.format(assignment=assignment, course=course,
                                             known=", ".join(names))) from None


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


def read_penalties(course, assignment=ASSIGNMENT) -> dict:
    """``{student: late penalty in points}`` for the submissions that have one.

    One query, whatever the size of the class (nbgrader's per-submission property
    adds a subquery per score column and per student)."""
    from nbgrader.api import Assignment, Gradebook, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import func

    with Gradebook(db_url(course)) as gradebook:
        rows = (gradebook.db.query(SubmittedAssignment.student_id,
                                   func.sum(SubmittedNotebook.late_submission_penalty))
                .join(SubmittedNotebook,
                      SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
                .filter(Assignment.name == assignment)
                .group_by(SubmittedAssignment.student_id))
        return {student: float(penalty) for student, penalty in rows if penalty}
