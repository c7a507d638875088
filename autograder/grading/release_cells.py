"""The assignment's own cells and public files, shipped with the package, so that
``backprop check`` prepares a notebook exactly as the grader does.

The grader restores every locked and check cell of a submission from its
gradebook, puts deleted check cells back (they score 0), drops nbgrader
metadata it does not know, and runs the notebook with the course's own
``data_prep.py`` and ``binary.csv``, never the student's copies. A student has
no gradebook, so the package carries a copy of the release (``release/``
beside this module): its nbgrader cells, as a notebook holding only those
cells with their checksums and points, and its public files.
:func:`sanitize` writes the cells into a throwaway SQLite gradebook and runs
the course's own sanitizing steps (:data:`autograder.pipeline.setup.SANITIZE`)
against it: the same code, the same outcome.

After ``nbgrader generate_assignment``, refresh the copy with::

    python -m autograder.grading.release_cells release/backprop

(``tests/course/test_release.py`` fails, with this command, when it is stale.)
"""

import contextlib
import copy
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import nbformat

from ..core.course import ASSIGNMENT, NOTEBOOK

#: The copy of the release: the notebook's nbgrader cells and the public files.
COPY_DIR = Path(__file__).with_name("release")
SNAPSHOT = COPY_DIR / f"{NOTEBOOK}.ipynb"
PUBLIC_FILES = ("data_prep.py", "binary.csv")
REFRESH = f"python -m autograder.grading.release_cells release/{ASSIGNMENT}"


def cells_of(release_nb):
    """The release notebook with only its nbgrader cells (and its metadata)."""
    nb = copy.deepcopy(release_nb)
    nb.cells = [cell for cell in nb.cells if "nbgrader" in cell.get("metadata", {})]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def load():
    """The shipped cells of the release, as a notebook."""
    return nbformat.read(str(SNAPSHOT), as_version=4)


def write(release_dir, dest=COPY_DIR) -> Path:
    """Copy the release folder's nbgrader cells and public files to ``dest``."""
    release_dir, dest = Path(release_dir), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    nb = cells_of(nbformat.read(str(release_dir / f"{NOTEBOOK}.ipynb"), as_version=4))
    nbformat.write(nb, str(dest / f"{NOTEBOOK}.ipynb"))
    for name in PUBLIC_FILES:
        shutil.copyfile(release_dir / name, dest / name)
    return dest


def sanitize(nb, *, log=None):
    """``nb`` as the grader's sanitizing steps leave it, against the shipped cells."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveCells
    from traitlets.config import Config

    from ..pipeline.cell_metadata import gradebook_cells, normalize_nbgrader_metadata
    from ..pipeline.setup import SANITIZE

    with tempfile.TemporaryDirectory(prefix="backprop-check-") as folder:
        path = Path(folder) / "gradebook.db"
        # A throwaway gradebook needs no migration history: with this table in place
        # nbgrader skips asking `alembic` for one (a subprocess of about a second).
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            connection.commit()
        db_url = f"sqlite:///{path}"
        info = {"db_url": db_url, "assignment": ASSIGNMENT, "notebook": NOTEBOOK}
        with Gradebook(db_url) as gradebook:
            gradebook.update_or_create_assignment(ASSIGNMENT)
        config = Config()
        SaveCells(config=config).preprocess(load(), {"nbgrader": dict(info)})
        normalize_nbgrader_metadata(nb, gradebook_cells(db_url, NOTEBOOK, ASSIGNMENT))
        resources = {"nbgrader": dict(info)}
        for step in SANITIZE:
            preprocessor = step(config=config, **({"log": log} if log else {}))
            nb, resources = preprocessor.preprocess(nb, resources)
    return nb


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: {REFRESH}", file=sys.stderr)
        return 2
    print(f"wrote {write(args[0])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
