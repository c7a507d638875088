"""Read a submitted notebook without trusting it.

Stock nbgrader reads a submission with ``nbformat.read``. A corrupt, empty or
non-UTF-8 file then raises, the submission fails and its grades stay blank;
a cell whose nbgrader metadata is odd (a copied locked cell, a grade cell the
gradebook does not know, a ``schema_version`` other than 3) fails the
submission too, and a wrong ``schema_version`` even stops the grading of
every student after it.

:class:`SafeNotebookExporter` is installed as ``c.Autograde.exporter_class``
and reads every notebook ``nbgrader autograde`` converts:

* the file is opened without following a symbolic link (nor may any folder
  between the submissions folder and the file be one), must be a regular
  file of at most ``max_bytes``, UTF-8 JSON that nbformat reads (older
  formats are converted to v4) and, outputs aside, a valid notebook;
* when it is not, the release notebook stands in for it, headed by a note
  and marked ``metadata.backprop.unreadable = <reason>``: GuardedExecute
  runs nothing and the verdict step gives every item 0 with that reason.
  The submitted file is never written to;
* nbgrader metadata is rebuilt from the gradebook: the last cell naming a
  known cell id gets that cell's flags, points and checksum, and every other
  ``metadata.nbgrader`` (unknown ids, earlier copies, malformed values) is
  removed, so no student edit of it can fail or abort the run;
* while sanitizing, the grader's own ``metadata.backprop`` marks are removed
  from the submission, and the copies nbgrader made of files that are
  symbolic links (or devices, FIFOs...) in the submission folder are deleted
  from the autograded folder (``generate_feedback`` would hand them to the
  student).
"""
from __future__ import annotations

import contextlib
import copy
import datetime
import json
import os
import stat

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from traitlets import Integer

MiB = 2**20
MARK = "backprop"
UNREADABLE = "unreadable"
NBGRADER_SCHEMA = 3
#: Shown above the blank assignment that stands in for an unreadable notebook.
NOTE = ("**Your notebook could not be read: {reason}.**\n\n"
        "Nothing in it could be graded, so every item scores 0. The file you submitted was "
        "left as it is; please ask your instructor. Below is the blank assignment.")


class UnreadableNotebook(Exception):
    """The submission is not a notebook the grader can use; ``str(exc)`` says why."""


def unreadable_reason(nb) -> str | None:
    """Why the notebook graded in ``nb``'s place could not be read, or None."""
    mark = nb.get("metadata", {}).get(MARK)
    reason = mark.get(UNREADABLE) if isinstance(mark, dict) else None
    return reason if isinstance(reason, str) and reason else None


# -- reading ---------------------------------------------------------------------
def read_regular_file(path: str, max_bytes: int) -> bytes:
    """The bytes of ``path``: a regular file, not a link, at most ``max_bytes``."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise UnreadableNotebook(f"it could not be opened ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UnreadableNotebook("it is a symbolic link, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableNotebook("it is not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableNotebook(f"it could not be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped after the lstat
            raise UnreadableNotebook("it is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableNotebook(f"it is larger than {max_bytes / MiB:g} MB")
    return data


def parse_notebook(data: bytes):
    """A v4 ``NotebookNode`` from a file's bytes, or :class:`UnreadableNotebook`."""
    if not data.strip():
        raise UnreadableNotebook("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableNotebook(f"it is not UTF-8 text (byte 0x{data[exc.start]:02x} "
                                 f"at offset {exc.start})") from None
    try:
        raw = json.loads(text)
    except RecursionError:
        raise UnreadableNotebook("its JSON is nested too deeply") from None
    except ValueError as exc:
        where = (f" at line {exc.lineno}, column {exc.colno}"
                 if isinstance(exc, json.JSONDecodeError) else "")
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)[:100]
        raise UnreadableNotebook(f"it is not valid JSON ({message}{where})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", []), list):
        raise UnreadableNotebook("it is JSON but not a notebook")
    major = raw.get("nbformat")
    if isinstance(major, bool) or not isinstance(major, int) or major not in nbformat.versions:
        raise UnreadableNotebook(f"it is not in a notebook format this grader reads "
                                 f"(nbformat {str(major)[:20]})")
    try:  # as nbformat.reads does: join multi-line sources, then convert to v4
        minor = raw.get("nbformat_minor", 0)
        nb = nbformat.versions[major].to_notebook_json(raw, minor=minor)
        nb = nbformat.convert(nb, 4)
    except Exception as exc:  # noqa: BLE001 - malformed notebooks fail in many ways
        raise UnreadableNotebook(f"it is not a valid notebook (nbformat {major} that could "
                                 f"not be read: {type(exc).__name__})") from None
    cells = nb.get("cells")
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise UnreadableNotebook("it is JSON but not a notebook (its cells are not a list)")
    for cell in cells:  # outputs are cleared before grading anyway
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise UnreadableNotebook(f"it is not a valid notebook ({_summary(exc)})") from None
    except RecursionError:
        raise UnreadableNotebook("it is not a valid notebook (nested too deeply)") from None
    return nb


def _summary(exc) -> str:
    """A short account of a notebook validation error: where, and what."""
    path = list(getattr(exc, "absolute_path", None) or getattr(exc, "path", None) or [])
    where = f"cell {path[1]}: " if len(path) >= 2 and path[0] == "cells" else ""
    lines = str(getattr(exc, "message", exc)).splitlines() or [""]
    what = lines[0]
    if len(what) > 120 or what.startswith(("{", "[")):
        what = "malformed"
    return where + what


# -- nbgrader metadata -------------------------------------------------------------
#: ``{(db_url, notebook, assignment): cells}`` while :func:`remembering_cells` is on.
_remembered: dict | None = None


@contextlib.contextmanager
def remembering_cells():
    """Within this block :func:`gradebook_cells` reads each notebook's cells once.

    For a grading run: autograding never changes an assignment's source cells
    (only ``generate_assignment`` does), and every submission's two reads
    (sanitize, autograde) would otherwise query the same rows again."""
    global _remembered
    outer, _remembered = _remembered, {} if _remembered is None else _remembered
    try:
        yield
    finally:
        _remembered = outer


def gradebook_cells(db_url: str, notebook_id: str, assignment_id: str) -> dict:
    """``{grade_id: nbgrader metadata}`` of the notebook's cells in the gradebook."""
    key = (db_url, notebook_id, assignment_id)
    if _remembered is not None and key in _remembered:
        return _remembered[key]
    known = _read_gradebook_cells(db_url, notebook_id, assignment_id)
    if _remembered is not None:
        _remembered[key] = known
    return known


def _read_gradebook_cells(db_url: str, notebook_id: str, assignment_id: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_notebook(notebook_id, assignment_id)
        grades = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        solutions = {cell.name for cell in notebook.solution_cells}
        tasks = {cell.name for cell in notebook.task_cells}
        known = {}
        for cell in notebook.source_cells:
            meta = {"grade": cell.name in grades, "solution": cell.name in solutions,
                    "locked": bool(cell.locked), "grade_id": cell.name,
                    "schema_version": NBGRADER_SCHEMA, "cell_type": cell.cell_type,
                    "checksum": cell.checksum}
            if cell.name in grades:
                meta["points"] = grades[cell.name]
            if cell.name in tasks:
                meta["task"] = True
            known[cell.name] = meta
        return known


def normalize_nbgrader_metadata(nb, known: dict) -> tuple[list, list]:
    """Rebuild every cell's nbgrader metadata from ``known``.

    The last cell naming a known id keeps it (as nbgrader's DeduplicateIds does);
    every other ``metadata.nbgrader`` is removed. Returns the ids whose metadata
    was removed and those whose flags or points had been changed.
    """
    dropped, changed, seen = [], [], set()
    for cell in reversed(nb.cells):
        metadata = cell.get("metadata")
        if not isinstance(metadata, dict) or "nbgrader" not in metadata:
            continue
        meta = metadata["nbgrader"]
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(grade_id, str) and grade_id in known and grade_id not in seen:
            seen.add(grade_id)
            want = known[grade_id]
            if any(meta.get(key) != want.get(key) for key in _FLAGS):
                changed.append(grade_id)
            metadata["nbgrader"] = nbformat.from_dict(copy.deepcopy(want))
        else:
            dropped.append(str(grade_id)[:64])
            del metadata["nbgrader"]
    return dropped, changed


_FLAGS = ("grade", "solution", "locked", "task", "points", "schema_version")


def strip_marks(nb) -> None:
    """Remove the grader's own ``metadata.backprop`` marks from a submission."""
    for holder in [nb] + list(nb.cells):
        metadata = holder.get("metadata")
        if isinstance(metadata, dict):
            metadata.pop(MARK, None)


# -- the submission folder -----------------------------------------------------------
def link_below(path: str, root: str) -> str | None:
    """The first symbolic link on the way from ``root`` (excluded) down to ``path``."""
    rel = os.path.relpath(path, root)
    if rel.startswith(os.pardir):
        return None
    current = root
    for part in rel.split(os.sep):
        current = os.path.join(current, part)
        if os.path.islink(current):
            return current
    return None


def not_plain_files(folder: str) -> list[str]:
    """Relative paths of the entries below ``folder`` that are neither plain files
    nor plain folders (symbolic links, FIFOs, devices, sockets)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(os.path.relpath(path, folder))
    return found


class SafeNotebookExporter(NotebookExporter):
    """nbconvert's NotebookExporter that reads hostile notebooks safely (see the module)."""

    max_bytes = Integer(64 * MiB, help="Largest notebook file read, in bytes; a larger "
                        "submission is graded as unreadable.").tag(config=True)

    # -- where we are --------------------------------------------------------------
    def _coursedir(self):
        return getattr(self.parent, "coursedir", None)

    def _folders(self, resources):
        """(submission folder, autograded folder) of this notebook, or (None, None)."""
        coursedir, info = self._coursedir(), resources.get("nbgrader") or {}
        if coursedir is None or "student" not in info or "assignment" not in info:
            return None, None
        return (coursedir.format_path(coursedir.submitted_directory, info["student"],
                                      info["assignment"]),
                coursedir.format_path(coursedir.autograded_directory, info["student"],
                                      info["assignment"]))

    # -- reading -------------------------------------------------------------------
    def from_filename(self, filename, resources=None, **kw):
        if resources is None:
            resources = ResourcesDict()
        if "metadata" not in resources or resources["metadata"] == "":
            resources["metadata"] = ResourcesDict()
        path, basename = os.path.split(filename)
        resources["metadata"]["name"] = os.path.splitext(basename)[0]
        resources["metadata"]["path"] = path
        try:
            modified = os.lstat(filename).st_mtime
        except OSError:
            modified = 0
        resources["metadata"]["modified_date"] = datetime.datetime.fromtimestamp(
            modified, tz=datetime.timezone.utc).strftime("%B %-d, %Y")

        submitted, autograded = self._folders(resources)
        sanitizing = bool(submitted) and os.path.abspath(path) == os.path.abspath(submitted)
        try:
            if sanitizing:
                coursedir = self._coursedir()
                root = coursedir.format_path(coursedir.submitted_directory, ".", ".")
                folder = link_below(os.path.abspath(path), os.path.normpath(root))
                if folder:
                    raise UnreadableNotebook("it is in a folder reached through a symbolic link")
            nb = parse_notebook(read_regular_file(filename, self.max_bytes))
        except UnreadableNotebook as exc:
            self.log.warning("Notebook %s could not be read (%s): every item scores 0",
                             filename, exc)
            nb = self._stand_in(resources, str(exc))
        else:
            if sanitizing:
                strip_marks(nb)
        self._normalize(nb, resources)
        if sanitizing:
            self._remove_linked_copies(submitted, autograded)
        return self.from_notebook_node(nb, resources=resources, **kw)

    # -- helpers ---------------------------------------------------------------------
    def _stand_in(self, resources, reason: str):
        """The release notebook, marked unreadable, headed by a note."""
        nb = None
        coursedir, info = self._coursedir(), resources.get("nbgrader") or {}
        if coursedir is not None and "assignment" in info and "notebook" in info:
            release = os.path.join(
                coursedir.format_path(coursedir.release_directory, ".", info["assignment"]),
                info["notebook"] + ".ipynb")
            try:
                nb = nbformat.read(release, as_version=4)
            except Exception as exc:  # noqa: BLE001 - fall back to an empty notebook
                self.log.warning("Release notebook %s not readable either (%s)", release, exc)
        if nb is None:
            nb = nbformat.v4.new_notebook()
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(NOTE.format(reason=reason)))
        nb.metadata[MARK] = {UNREADABLE: reason}
        return nb

    def _normalize(self, nb, resources) -> None:
        from nbgrader.api import MissingEntry

        info = resources.get("nbgrader") or {}
        if not all(key in info for key in ("db_url", "notebook", "assignment")):
            return
        try:
            known = gradebook_cells(info["db_url"], info["notebook"], info["assignment"])
        except MissingEntry:  # nbgrader skips notebooks the gradebook does not know
            return
        dropped, changed = normalize_nbgrader_metadata(nb, known)
        if dropped:
            self.log.warning("Removed nbgrader metadata the gradebook does not back "
                             "(unknown ids or copies): %s", ", ".join(dropped))
        if changed:
            self.log.warning("Restored the nbgrader flags or points of: %s", ", ".join(changed))

    def _remove_linked_copies(self, submitted: str, autograded: str) -> None:
        for rel in not_plain_files(submitted):
            copy_path = os.path.join(autograded, rel)
            if os.path.lexists(copy_path) and not os.path.isdir(copy_path):
                self.log.warning("Removed %s: it is a link or special file in the "
                                 "submission", copy_path)
                os.remove(copy_path)


__all__ = ["SafeNotebookExporter", "UnreadableNotebook", "gradebook_cells",
           "normalize_nbgrader_metadata", "parse_notebook", "read_regular_file",
           "remembering_cells", "unreadable_reason"]
