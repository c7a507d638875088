"""Read every notebook ``nbgrader autograde`` converts without trusting it.

Stock nbgrader reads a submission with ``nbformat.read``. A corrupt, empty or
non-UTF-8 file then raises, the submission fails and its grades stay blank;
a cell whose nbgrader metadata is odd (a copied locked cell, a grade cell the
gradebook does not know, a ``schema_version`` other than 3) fails the
submission too, and a wrong ``schema_version`` even stops the grading of
every student after it.

:class:`SafeNotebookExporter` is installed as ``c.Autograde.exporter_class``:

* the file is read by :func:`~.notebook_reading.read_notebook` (no link may
  be on the way from the submissions folder either); when it cannot be, the
  release notebook stands in for it, headed by a note and marked
  ``metadata.backprop.unreadable = <reason>``: GuardedExecute runs nothing
  and the verdict step gives every item 0 with that reason. The submitted
  file is never written to;
* nbgrader metadata is rebuilt from the gradebook
  (:mod:`~.cell_metadata`), so no student edit of it can fail or abort the run;
* while sanitizing, the grader's own ``metadata.backprop`` marks are removed
  from the submission, and any copy of a file that is a symbolic link (or a
  device, a FIFO...) in the submission folder is deleted from the autograded
  folder (``generate_feedback`` would hand it to the student). The course's
  converter never makes such copies (:mod:`.submission_copy`); this catches
  a run whose converter is nbgrader's own.

Why a notebook could not be read is written in the language of the
submission's assignment (:mod:`.language`).
"""
from __future__ import annotations

import datetime
import os

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from traitlets import Dict, Integer

from ..constants import MARK, UNREADABLE
from ..i18n import _
from .cell_metadata import gradebook_cells, normalize_nbgrader_metadata, strip_marks
from .language import submission_language
from .notebook_reading import NOTE, UnreadableNotebook, read_notebook
from .submission_folder import link_below, not_plain_files

MiB = 2**20


class SafeNotebookExporter(NotebookExporter):
    """nbconvert's NotebookExporter that reads hostile notebooks safely (see the module)."""

    max_bytes = Integer(64 * MiB, help="Largest notebook file read, in bytes; a larger "
                        "submission is graded as unreadable.").tag(config=True)
    refused = Dict(help="Notebook paths that a caller already refused to read, with the "
                   "reason (backprop grade's coordinator reads the files, its workers "
                   "parse them); they are graded as unreadable without being opened.")

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
        with submission_language(resources):
            return self._from_filename(filename, resources, **kw)

    def _from_filename(self, filename, resources=None, **kw):
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
                    raise UnreadableNotebook(_("it is in a folder reached through a symbolic "
                                               "link"))
            if filename in self.refused:
                raise UnreadableNotebook(self.refused[filename])
            nb = read_notebook(filename, self.max_bytes)
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
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(_(NOTE).format(reason=reason)))
        nb.metadata[MARK] = {UNREADABLE: reason}
        return nb

    def _normalize(self, nb, resources) -> None:
        from nbgrader.api import MissingEntry

        info = resources.get("nbgrader") or {}
        if not all(key in info for key in ("db_url", "notebook", "assignment")):
            return
        try:
            known = gradebook_cells(info["db_url"], info["notebook"], info["assignment"],
                                    within=self)
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
