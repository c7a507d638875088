"""What a parallel run has graded already: ``.backprop/grade-state.json``.

A submission is up to date, and skipped without ``--force``, when all of:

* the state file records it with the same *submission hash* (every file of
  ``submitted/<student>/<assignment>/``) and the same *grading fingerprint*
  (the course config, the autograder package, nbgrader's version, the
  solutions, the assignment's source and release files, every nbgrader
  setting and the hidden seed);
* the gradebook holds a score for each of its autograded cells;
* its autograded notebooks exist.

A student is recorded only after its grades are committed to the gradebook
and its autograded notebook is written. Records are appended to a journal
(``grade-state.journal``, one JSON line each, made durable once per batch)
and folded into the state file, which is replaced atomically, at the end of a
run; a torn last line is ignored. A run killed at any moment therefore loses
at most the students not yet recorded, which the next run grades again.

With each student's content hash the state keeps the folder's ``lstat``
signature (:mod:`autograder.grading.submissions`), so an unchanged folder is
recognised without reading its files.

The state also keeps one hidden seed per assignment when the config leaves
``BackpropGrader.hidden_seed`` unset, so that incremental and resumed runs
grade every student of the class on the same hidden inputs. Delete the file
to draw a new seed (and regrade everyone).
"""

import hashlib
import json
import os
import secrets
import stat
import time
from pathlib import Path

from ..constants import STATE_DIR, STATE_FILE
from ..safe_files import atomic_write_json
from ..safe_trees import TreeWalk

FORMAT = 1
JOURNAL_FILE = "grade-state.journal"
#: Left out of the submission hash, as nbgrader leaves them out when copying.
HASH_IGNORE = (".ipynb_checkpoints", "__pycache__", "*.pyc")
#: Files larger than this are hashed by their size and modification time, unread.
HASH_MAX_FILE = 16 * 2**20
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def tree_hash(root, digest=None) -> str:
    """sha256 of everything below ``root`` (or of the file ``root``).

    Every entry is judged by ``lstat`` and described by its relative path
    (bytes, whatever their encoding) and what it is: a regular file by its
    bytes, read in chunks (one larger than :data:`HASH_MAX_FILE` by its size
    and modification time instead), a link by its target (never followed), a
    FIFO, device or socket by its type, a folder by its name. The walk is
    bounded (:class:`~autograder.safe_trees.TreeWalk`). So no file of a
    submission can hang, exhaust or stop the change detection; only a
    ``root`` that cannot be read at all raises ``OSError``. ``root`` itself
    may be reached through a link (a course folder kept elsewhere); a link
    below it counts by its target's name, not its content.
    """
    digest = digest or hashlib.sha256()
    root = os.path.realpath(os.fspath(root))
    info = os.lstat(root)
    if not stat.S_ISDIR(info.st_mode):
        _hash_entry(digest, os.path.dirname(root), os.path.basename(root), info.st_mode,
                    info.st_size, info.st_mtime_ns)
        return digest.hexdigest()
    walk = TreeWalk(root, max_depth=64, max_entries=100_000, skip=HASH_IGNORE)
    for entry in walk:
        if entry.kind == "folder":
            digest.update(b"D" + os.fsencode(entry.path) + (b"\0" if entry.entered else b"\0+"))
        else:
            _hash_entry(digest, root, entry.path, entry.mode, entry.size, entry.mtime_ns)
    for path in walk.unreadable:
        digest.update(b"U" + os.fsencode(path) + b"\0")
    if walk.truncated:
        digest.update(b"+")
    return digest.hexdigest()


def _hash_entry(digest, root: str, rel: str, mode: int, size: int, mtime_ns: int) -> None:
    name = os.fsencode(rel) + b"\0"
    path = os.path.join(root, rel)
    if stat.S_ISLNK(mode):
        try:
            digest.update(b"L" + name + os.fsencode(os.readlink(path)))
        except OSError:
            digest.update(b"L" + name)
        return
    if not stat.S_ISREG(mode):
        digest.update(b"S" + name + str(stat.S_IFMT(mode)).encode())
        return
    if size <= HASH_MAX_FILE:
        try:
            digest.update(b"F" + name + str(size).encode() + b"\0")
            _hash_file(digest, path, size)
            return
        except OSError:
            pass  # swapped or unreadable meanwhile: described by its metadata instead
    digest.update(b"B" + name + f"{size}:{mtime_ns}".encode())


def _hash_file(digest, path: str, size: int) -> None:
    fd = os.open(path, _READ)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        left = size
        while left > 0:
            chunk = os.read(fd, min(2**20, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)


#: Settings that name this machine's folders, not how a submission is graded.
PATH_SETTINGS = ("root", "db_url", "public_dir", "solutions_dir", "cache_dir",
                 "extra_ro_paths", "uid_lock_dir", "bwrap_path")


def config_text(config) -> str:
    """A stable text of an nbgrader config, without its folder names."""
    import re

    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items())
                    if k not in PATH_SETTINGS}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, type):
            return f"{value.__module__}.{value.__qualname__}"
        return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))

    return json.dumps(plain(config), sort_keys=True)


def fingerprint(*, course_root, assignment, seed, config) -> str:
    """The grading fingerprint: anything that can change a verdict.

    Folder names are left out, so a course folder can be moved or copied.
    Which gradebook is used is not in here either: the gradebook itself is
    checked for every submission's scores (:func:`graded_in_gradebook`).
    """
    import nbgrader

    from .. import __version__

    root = Path(course_root)
    digest = hashlib.sha256()
    digest.update(json.dumps({"format": FORMAT, "autograder": __version__,
                              "nbgrader": nbgrader.__version__, "assignment": assignment,
                              "seed": seed, "config": config_text(config)},
                             sort_keys=True).encode())
    package = Path(__file__).resolve().parent.parent
    for part in (root / "nbgrader_config.py", root / "solutions", root / "source" / assignment,
                 root / "release" / assignment, package):
        digest.update(b"\0P" + str(part.relative_to(part.parent)).encode())
        if part.exists():
            tree_hash(part, digest)
    return digest.hexdigest()


class GradeState:
    """The state file of one course (see the module docstring)."""

    def __init__(self, course_root):
        self.path = Path(course_root) / STATE_DIR / STATE_FILE
        self.journal = self.path.with_name(JOURNAL_FILE)
        self.data = {"format": FORMAT, "assignments": {}}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("format") == FORMAT:
                    self.data = data
            except (OSError, ValueError):
                pass  # unreadable: everything is graded again
        self._replay()

    def _replay(self) -> None:
        try:
            with open(self.journal, encoding="utf-8") as handle:
                lines = handle.readlines()
        except OSError:
            return
        for line in lines:
            try:
                item = json.loads(line)
                students = self._assignment(str(item["a"]))["students"]
                if item.get("e") is None:
                    students.pop(str(item["s"]), None)
                else:
                    students[str(item["s"])] = dict(item["e"])
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a crash, or not ours

    def _append(self, assignment, changes) -> None:
        """Apply ``{student: entry or None}`` and append it to the journal, durably."""
        students = self._assignment(assignment)["students"]
        lines = []
        for student, entry in changes.items():
            if entry is None:
                students.pop(student, None)
            else:
                students[student] = entry
            lines.append(json.dumps({"a": assignment, "s": student, "e": entry}) + "\n")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.journal, "a", encoding="utf-8") as handle:
            handle.write("".join(lines))
            handle.flush()
            os.fsync(handle.fileno())

    def entry(self, assignment, student) -> dict | None:
        """What is recorded of ``student`` (hash, fingerprint, signature, time), or None."""
        return self._assignment(assignment)["students"].get(student)

    def _assignment(self, assignment) -> dict:
        return self.data["assignments"].setdefault(assignment, {"seed": None, "students": {}})

    def seed(self, assignment) -> int:
        """The assignment's stored hidden seed, drawn (and saved) the first time."""
        entry = self._assignment(assignment)
        if entry.get("seed") is None:
            entry["seed"] = secrets.randbits(63)
            self.save()
        return int(entry["seed"])

    def is_recorded(self, assignment, student, *, submission, grading) -> bool:
        entry = self._assignment(assignment)["students"].get(student)
        return bool(entry) and entry.get("submission") == submission \
            and entry.get("fingerprint") == grading

    def record(self, assignment, student, *, submission, grading, seconds=None,
               signature=None) -> None:
        self.record_many(assignment, {student: dict(submission=submission, grading=grading,
                                                    seconds=seconds, signature=signature)})

    def record_many(self, assignment, graded: dict) -> None:
        """Record ``{student: dict(submission=, grading=, seconds=, signature=,
        feedback_left=)}`` at once (the last: the page is left to generate_feedback)."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self._append(assignment, {student: {
            "submission": info["submission"], "fingerprint": info["grading"],
            "stat": info.get("signature"), "graded_at": stamp,
            "seconds": None if info.get("seconds") is None else round(info["seconds"], 3),
            **({"feedback_left": True} if info.get("feedback_left") else {}),
        } for student, info in graded.items()})

    def seconds(self, assignment, student):
        """How long the student's last recorded grading took, or None."""
        entry = self._assignment(assignment)["students"].get(student) or {}
        value = entry.get("seconds")
        return float(value) if isinstance(value, (int, float)) else None

    def longest_first(self, assignment, students) -> list:
        """``students`` in the order a pool finishes soonest: those never timed
        first (they may be slow), then the slowest of the last run first, so that
        no long submission starts last while the other workers idle."""
        def key(student):
            seconds = self.seconds(assignment, student)
            return (0, 0.0) if seconds is None else (1, -seconds)
        return sorted(students, key=key)

    def forget(self, assignment, student) -> None:
        self.forget_many(assignment, [student])

    def forget_many(self, assignment, students) -> None:
        known = self._assignment(assignment)["students"]
        gone = [s for s in students if s in known]
        if gone:
            self._append(assignment, dict.fromkeys(gone))

    def save(self) -> None:
        """Replace the file atomically and durably (write, fsync, rename), with the
        journal folded in; then start a new journal."""
        atomic_write_json(self.path, self.data, durable=True, indent=1, sort_keys=True)
        try:
            os.unlink(self.journal)
        except FileNotFoundError:
            pass


def graded_in_gradebook(db_url, assignment) -> set:
    """Students whose every autograded cell has a score in the gradebook (one query)."""
    import sqlalchemy
    from nbgrader import api

    t = api.Base.metadata.tables
    sub, snb, grade = t["submitted_assignment"], t["submitted_notebook"], t["grade"]
    gc, tc, nb, asg = t["grade_cells"], t["task_cells"], t["notebook"], t["assignment"]
    kind = sqlalchemy.func.coalesce(gc.c.cell_type, tc.c.cell_type)
    blank = sqlalchemy.case((sqlalchemy.and_(kind == "code", grade.c.auto_score.is_(None)), 1),
                            else_=0)
    query = (sqlalchemy.select(sub.c.student_id,
                               sqlalchemy.func.count(sqlalchemy.distinct(snb.c.notebook_id)),
                               sqlalchemy.func.coalesce(sqlalchemy.func.sum(blank), 0))
             .join(asg, asg.c.id == sub.c.assignment_id)
             .outerjoin(snb, snb.c.assignment_id == sub.c.id)
             .outerjoin(grade, grade.c.notebook_id == snb.c.id)
             .outerjoin(gc, gc.c.id == grade.c.cell_id)
             .outerjoin(tc, tc.c.id == grade.c.cell_id)
             .where(asg.c.name == assignment)
             .group_by(sub.c.student_id))
    engine = sqlalchemy.create_engine(db_url, future=True)
    try:
        with engine.connect() as db:
            expected = db.execute(sqlalchemy.select(sqlalchemy.func.count(nb.c.id))
                                  .join(asg, asg.c.id == nb.c.assignment_id)
                                  .where(asg.c.name == assignment)).scalar()
            return {student for student, notebooks, blanks in db.execute(query)
                    if notebooks == expected and not blanks}
    finally:
        engine.dispose()
