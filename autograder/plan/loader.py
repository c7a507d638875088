"""The one loader of course code by path: the reference solutions and data_prep.

Course code is not installed: ``solutions/`` (never released) and the
release's ``data_prep.py`` live in the course folder, and a grader may serve
several course folders. This module is the only place in the package that
runs a Python file by its path, and the only one that knows the ``solutions``
folder; an import-linter contract (``pyproject.toml``) keeps it that way.
"""

import importlib.util
from pathlib import Path

from ..constants import SOLUTIONS_DIR
from ..i18n import _


def load_module(path, name: str):
    """Run the Python file at ``path`` as a fresh module called ``name``."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(_("cannot load {path} as Python code").format(path=path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solutions_folder(course_root) -> Path:
    """The instructor's folder of reference code in the course at ``course_root``."""
    return Path(course_root) / SOLUTIONS_DIR


def load_solution(solutions_dir, stem: str):
    """``solutions/<stem>.py`` of a course, loaded by path; ``FileNotFoundError``
    when the file is missing."""
    path = Path(solutions_dir) / f"{stem}.py"
    if not path.is_file():
        raise FileNotFoundError(_("the course's {name} code is missing: {path} (the grader "
                                  "needs the course's {folder}/ folder)").format(
                                      name=stem, path=path, folder=SOLUTIONS_DIR))
    return load_module(path, f"_backprop_{stem}")
