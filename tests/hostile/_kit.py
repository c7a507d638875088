"""Shared helpers of the hostile corpus (not a case: its name starts with ``_``).

A case is a module next to this one with

* a docstring: what it attacks and the score it must get;
* ``ATTACK``: the attack in one line;
* ``build(solved, release, ctx)``: the submission. It returns a notebook, raw
  ``bytes`` for a file that is not one, ``None`` for no notebook at all, or a
  pair ``(one of those, {name: content})`` to place extra entries in the
  submission folder. A name is a ``str`` or, for a name that is not UTF-8,
  ``bytes``; a content is ``bytes``, ``str`` or anything with a
  ``make(path)`` method (:class:`Symlink`, :class:`SparseFile`,
  :class:`Fifo`, :class:`DeepTree`, or a case's own);
* ``EXPECT``: a dict with

  - ``scores``: ``{grade_id: points}`` for all twelve items (see :func:`earned`);
  - ``message`` (optional): text the grade cells or ``backprop-results.json``
    must contain;
  - ``present`` / ``absent`` (optional): text that must / must not appear in
    the outputs of the student's own (non-check) cells in the autograded
    notebook: proof that the attack ran, and that what it aimed at did not
    happen (an item of ``present`` may be a tuple: one of its texts);
  - ``nowhere`` (optional): text that must appear in no file of the student's
    autograded folder, nor of the feedback (build such text at run time, so
    that the notebook's source does not hold it);
  - ``feedback`` (optional): the feedback HTML must exist (it is generated,
    and scanned for secrets, for every student; such cases are named ``read_*``);
  - ``feedback_absent`` (optional): text that must not appear anywhere in the
    feedback HTML;
  - ``no_files`` (optional): file names that must not be copied into the
    autograded folder or the feedback;
  - ``max_notebook_bytes`` (optional): a cap on the autograded notebook;
  - ``missing`` (optional): no notebook was submitted, so no submission
    exists and the student's total is 0;
  - ``refused`` (optional): a text the grader's log must show for this
    student, whom both graders refuse to grade (the rest of the class is
    graded); no submission exists and the total is 0.

``ctx`` (:class:`Context`) tells a case where the course lives, the port and
abstract socket the test listens on, and so on.
"""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.course import EX1_KNOWN, ITEMS
from autograder.demo.samples import EX1_CELL, EX2_CELL

POINTS = {item.grade_id: float(item.points) for item in ITEMS}
EX1_KNOWN_IDS = tuple(f"ex1_{name}" for name in EX1_KNOWN)  # 10 points
EX1_IDS = EX1_KNOWN_IDS + ("ex1_other_inputs",)  # 13 points
EX2_IDS = tuple(grade_id for grade_id in POINTS if grade_id.startswith("ex2_"))  # 13 points
GROUPS = {"ex1": EX1_IDS, "ex1_known": EX1_KNOWN_IDS, "ex2": EX2_IDS, "all": tuple(POINTS)}


@dataclass(frozen=True)
class Symlink:
    """An extra entry of the submission that is a symbolic link to ``target``."""

    target: str

    def make(self, path):
        os.symlink(self.target, path)


@dataclass(frozen=True)
class SparseFile:
    """A file of ``size`` bytes, apparently: only its length, nothing on disk."""

    size: int

    def make(self, path):
        with open(path, "wb") as handle:
            handle.truncate(self.size)


@dataclass(frozen=True)
class Fifo:
    """A named pipe, which blocks whoever opens it to read."""

    def make(self, path):
        os.mkfifo(path)


@dataclass(frozen=True)
class DeepTree:
    """A folder nested ``depth`` levels deep (deeper than a path can name)."""

    depth: int

    def make(self, path):
        os.mkdir(path)
        fd = os.open(path, os.O_RDONLY)
        try:
            for _ in range(self.depth):
                os.mkdir("d", dir_fd=fd)
                inner = os.open("d", os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = inner
        finally:
            os.close(fd)


@dataclass(frozen=True)
class Context:
    course: Path          # the course root (gradebook.db, source/, solutions/ ...)
    student: str          # this case's student id
    port: int             # a TCP port on 127.0.0.1 the test listens on
    abstract_socket: str  # an abstract unix socket name the test listens on
    repo: Path            # the repository the course was copied from

    @property
    def submission(self) -> Path:
        return self.course / "submitted" / self.student / "backprop"


def _ids(names) -> set:
    out = set()
    for name in names:
        out.update(GROUPS.get(name, (name,)))
    unknown = out - set(POINTS)
    if unknown:
        raise KeyError(f"unknown items: {sorted(unknown)}")
    return out


def earned(*names) -> dict:
    """Full points on the named items or groups ("ex1", "ex1_known", "ex2", "all"), 0 elsewhere."""
    chosen = _ids(names)
    return {grade_id: (points if grade_id in chosen else 0.0) for grade_id, points in POINTS.items()}


def perfect_except(*names) -> dict:
    """Full points everywhere but the named items or groups."""
    chosen = _ids(names)
    return {grade_id: (0.0 if grade_id in chosen else points) for grade_id, points in POINTS.items()}


ZERO = earned()
PERFECT = earned("all")


# -- editing notebooks -------------------------------------------------------------
def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def index_of(nb, gid) -> int:
    found = [i for i, cell in enumerate(nb.cells) if grade_id(cell) == gid]
    if len(found) != 1:
        raise KeyError(f"no single cell {gid!r} in the notebook")
    return found[0]


def cell(nb, gid):
    return nb.cells[index_of(nb, gid)]


def with_cell(nb, source, after=None, before=None):
    """A copy of ``nb`` with a new code cell after/before the cell ``after``/``before``
    (at the end if neither is given)."""
    nb = copy.deepcopy(nb)
    new = nbformat.v4.new_code_cell(source)
    if after is not None:
        nb.cells.insert(index_of(nb, after) + 1, new)
    elif before is not None:
        nb.cells.insert(index_of(nb, before), new)
    else:
        nb.cells.append(new)
    return nb


def with_source(nb, gid, source):
    """A copy of ``nb`` with cell ``gid``'s source replaced."""
    nb = copy.deepcopy(nb)
    cell(nb, gid).source = source
    return nb


def ex1_only(solved, release):
    """Example 1 solved, Example 2 as released (``train_nn`` fails at once): 13 points."""
    return with_source(solved, EX2_CELL, cell(release, EX2_CELL).source)


#: Kernel code defining ``probe(path)``: prints READ/LISTED with what it got, or DENIED.
PROBE = '''
import os as _os


def probe(path):
    try:
        if _os.path.isdir(path):
            print("LISTED", path, sorted(_os.listdir(path))[:40])
            return
        with open(path, "rb") as _handle:
            print("READ", path, _handle.read(1 << 20))
    except Exception as exc:
        print("DENIED", path, type(exc).__name__, getattr(exc, "errno", ""))
'''


__all__ = ["EX1_CELL", "EX1_IDS", "EX1_KNOWN", "EX1_KNOWN_IDS", "EX2_CELL", "EX2_IDS",
           "Context", "DeepTree", "Fifo", "PERFECT", "POINTS", "PROBE", "SparseFile", "Symlink",
           "ZERO", "cell", "earned", "ex1_only", "grade_id", "index_of", "perfect_except",
           "with_cell", "with_source"]
