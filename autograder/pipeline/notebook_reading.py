"""Read a submitted notebook's file without trusting it.

:func:`read_notebook` gives a v4 notebook or raises :class:`UnreadableNotebook`
with a reason a student can act on: the file is a link, a FIFO, too large,
empty, not UTF-8, not JSON, not a notebook format this grader reads, or not
a valid notebook once its outputs are set aside. The reason is in the current
language (the submission's, while nbgrader reads it).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat

from ..constants import MARK, UNREADABLE
from ..core.text import may_hold_surrogates, safe_json
from ..i18n import N_, _
from ..safe_files import FileRefused, read_regular_file
from . import json_bounds

#: Most JSON values a notebook may hold once its outputs are set aside (an honest
#: one holds about a thousand): what the rest of the reading is allowed to build.
MAX_VALUES = 100_000
#: A file whose :func:`~.json_bounds.value_bound` is above this is parsed in a
#: process of its own, within :data:`APART_MEMORY`: parsing it here could take
#: more memory than grading a whole class.
MAX_VALUES_HERE = 500_000
APART_MEMORY = 2**30
APART_SECONDS = 120

#: Shown above the blank assignment that stands in for an unreadable notebook.
NOTE = N_("**Your notebook could not be read: {reason}.**\n\n"
          "Nothing in it could be graded, so every item scores 0. The file you submitted was "
          "left as it is; please ask your instructor. Below is the blank assignment.")
#: Why a file was not read (:class:`~autograder.safe_files.FileRefused`), by its kind.
REFUSED = {
    "missing": N_("it does not exist"),
    "link": N_("it is a symbolic link, not a file"),
    "special": N_("it is not a regular file"),
    "too_large": N_("it is larger than {megabytes:g} MB"),
    "unopenable": N_("it could not be opened ({error})"),
}


class UnreadableNotebook(Exception):
    """The submission is not a notebook the grader can use; ``str(exc)`` says why."""


def unreadable_reason(nb) -> str | None:
    """Why the notebook graded in ``nb``'s place could not be read, or None."""
    mark = nb.get("metadata", {}).get(MARK)
    reason = mark.get(UNREADABLE) if isinstance(mark, dict) else None
    return reason if isinstance(reason, str) and reason else None


def refused_reason(exc: FileRefused) -> str:
    """Why the file was refused, as a clause about "it" (the file), in the current language."""
    details = getattr(exc, "details", None) or {}
    try:
        return _(REFUSED[exc.kind]).format(**details)
    except (KeyError, IndexError, ValueError):  # a kind or a detail this module does not know
        return _("it {problem}").format(problem=exc)


def read_notebook(path: str, max_bytes: int):
    """The notebook at ``path`` (a regular file of at most ``max_bytes``), as v4."""
    try:
        data = read_regular_file(path, max_bytes)
    except FileRefused as exc:
        raise UnreadableNotebook(refused_reason(exc)) from None
    return parse_notebook(data)


def parse_notebook(data: bytes):
    """A v4 ``NotebookNode`` from a file's bytes, or :class:`UnreadableNotebook`."""
    if not data.strip():
        raise UnreadableNotebook(_("the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableNotebook(_("it is not UTF-8 text (byte 0x{byte:02x} at offset "
                                   "{offset})").format(byte=data[exc.start],
                                                       offset=exc.start)) from None
    raw = _load_json(data, text)
    if may_hold_surrogates(text):  # lone surrogates cannot be written back (or run)
        raw = safe_json(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", []), list):
        raise UnreadableNotebook(_("it is JSON but not a notebook"))
    major = raw.get("nbformat")
    if isinstance(major, bool) or not isinstance(major, int) or major not in nbformat.versions:
        raise UnreadableNotebook(_("it is not in a notebook format this grader reads "
                                   "(nbformat {version})").format(version=str(major)[:20]))
    try:  # as nbformat.reads does: join multi-line sources, then convert to v4
        minor = raw.get("nbformat_minor", 0)
        nb = nbformat.versions[major].to_notebook_json(raw, minor=minor)
        nb = nbformat.convert(nb, 4)
    except Exception as exc:  # noqa: BLE001 - malformed notebooks fail in many ways
        raise UnreadableNotebook(_("it is not a valid notebook (nbformat {version} that could "
                                   "not be read: {error})").format(
                                       version=major, error=type(exc).__name__)) from None
    cells = nb.get("cells")
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise UnreadableNotebook(_("it is JSON but not a notebook (its cells are not a list)"))
    for cell in cells:  # outputs are cleared before grading anyway
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise UnreadableNotebook(_("it is not a valid notebook ({problem})").format(
            problem=_summary(exc))) from None
    except RecursionError:
        raise UnreadableNotebook(_("it is not a valid notebook (nested too deeply)")) from None
    return nb


def _load_json(data: bytes, text: str):
    """The decoded JSON of the file, outputs set aside, within :data:`MAX_VALUES`."""
    if json_bounds.value_bound(data) > MAX_VALUES_HERE:
        raw = _load_apart(data)
    else:
        try:
            raw = json.loads(text)
        except RecursionError:
            raise UnreadableNotebook(_(TOO_DEEP)) from None
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                reason = _("it is not valid JSON ({error} at line {line}, column {column})").format(
                    error=exc.msg, line=exc.lineno, column=exc.colno)
            else:
                reason = _(NOT_JSON).format(error=str(exc)[:100])
            raise UnreadableNotebook(reason) from None
        json_bounds.drop_outputs(raw)
    if json_bounds.count_values(raw, MAX_VALUES) > MAX_VALUES:
        raise UnreadableNotebook(_(TOO_MANY).format(n=MAX_VALUES))
    return raw


#: Why a file's JSON was not read.
NOT_JSON = N_("it is not valid JSON ({error})")
TOO_DEEP = N_("its JSON is nested too deeply")
TOO_MANY = N_("it holds more than {n:,} JSON values besides its outputs, far more than a "
              "notebook has")


def _load_apart(data: bytes):
    """:func:`json.loads` of ``data`` in a process with a memory limit, which hands
    back the notebook without its outputs (see :mod:`.json_bounds`)."""
    program = os.path.abspath(json_bounds.__file__)
    try:
        done = subprocess.run([sys.executable, "-I", "-S", program, str(MAX_VALUES),
                               str(APART_MEMORY)], input=data, capture_output=True,
                              timeout=APART_SECONDS)
    except subprocess.TimeoutExpired:
        raise UnreadableNotebook(_("its JSON takes too long to read")) from None
    if done.returncode == json_bounds.NOT_JSON:
        reason = done.stderr.decode("utf-8", "replace")[:100]
        raise UnreadableNotebook(_(NOT_JSON).format(error=reason))
    if done.returncode == json_bounds.TOO_DEEP:
        raise UnreadableNotebook(_(TOO_DEEP))
    if done.returncode != 0:
        raise UnreadableNotebook(_(TOO_MANY).format(n=MAX_VALUES))
    return json.loads(done.stdout)


def _summary(exc) -> str:
    """A short account of a notebook validation error: where, and what."""
    path = list(getattr(exc, "absolute_path", None) or getattr(exc, "path", None) or [])
    lines = str(getattr(exc, "message", exc)).splitlines() or [""]
    what = lines[0]
    if len(what) > 120 or what.startswith(("{", "[")):
        what = _("malformed")
    if len(path) >= 2 and path[0] == "cells":
        return _("cell {index}: {problem}").format(index=path[1], problem=what)
    return what
