"""What a worker hands back for one submission: a compact, typed record.

A worker runs nbgrader's own per-student steps against a replica of the
assignment's gradebook (:mod:`.replica`). :class:`GradedRecord` is what those
steps wrote there, in the terms of nbgrader's tables, plus the files of the
autograded folder and the worker's timings. The coordinator copies the rows
into the real gradebook (:mod:`.gradebook_writer`) and the files into
``autograded/``; it never parses a notebook.

Rows are written exactly when nbgrader wrote them: a grade whose cell no step
touched is not in :attr:`NotebookRows.grades`, so a regrade leaves its old
value as ``nbgrader autograde`` would.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class NotebookRows:
    """What nbgrader wrote for one submitted notebook."""

    #: grade cell name -> (auto_score, needs_manual_grade as the replica has it)
    grades: dict = field(default_factory=dict)
    #: solution or task cell name -> auto_comment
    comments: dict = field(default_factory=dict)
    #: whether AssignLatePenalties set the notebook's penalty (recomputed by the
    #: coordinator: it depends on extensions and manual scores)
    penalty_written: bool = False

    def to_json(self) -> dict:
        return {"grades": {name: [score, bool(manual)]
                           for name, (score, manual) in self.grades.items()},
                "comments": dict(self.comments), "penalty_written": self.penalty_written}

    @classmethod
    def from_json(cls, data: dict) -> "NotebookRows":
        return cls({str(name): (None if value[0] is None else float(value[0]), bool(value[1]))
                    for name, value in data.get("grades", {}).items()},
                   {str(name): (None if text is None else str(text))
                    for name, text in data.get("comments", {}).items()},
                   bool(data.get("penalty_written")))


@dataclass
class GradedRecord:
    """One student's submission, graded on a worker (or failed there)."""

    student: str
    #: the courses the gradebook holds once nbgrader's steps ran (each step opens
    #: the gradebook with a course id, which nbgrader adds if it is missing)
    courses: list = field(default_factory=list)
    #: the student and submission rows exist (nbgrader creates them first)
    student_row: bool = False
    submission_row: bool = False
    #: the submission's timestamp as nbgrader set it (ISO text), or None if unset
    timestamp: str | None = None
    #: notebooks of the assignment with no submitted file (nbgrader scores them 0)
    missing: list = field(default_factory=list)
    notebooks: dict = field(default_factory=dict)      # notebook name -> NotebookRows
    #: relative path -> bytes: the autograded folder
    files: dict = field(default_factory=dict)
    #: relative path -> bytes: the feedback folder ``nbgrader generate_feedback`` would
    #: write from these grades (only in a run with feedback), what it read from the
    #: gradebook (:mod:`.feedback_basis`), or why it could not be written
    feedback: dict = field(default_factory=dict)
    feedback_basis: dict = field(default_factory=dict)
    feedback_failure: str = ""
    #: why it failed ("" when graded), and whether nbgrader would stop the run
    failure: str = ""
    fatal: bool = False
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failure

    def to_json(self) -> dict:
        """Everything but the files and the feedback (which travel as bytes)."""
        return {"student": self.student, "courses": list(self.courses),
                "student_row": self.student_row,
                "submission_row": self.submission_row, "timestamp": self.timestamp,
                "missing": list(self.missing),
                "notebooks": {name: rows.to_json() for name, rows in self.notebooks.items()},
                "failure": self.failure, "fatal": self.fatal,
                "feedback_failure": self.feedback_failure, "timings": dict(self.timings)}

    @classmethod
    def from_json(cls, data: dict, files=None, feedback=None) -> "GradedRecord":
        return cls(str(data["student"]), courses=[str(c) for c in data.get("courses", [])],
                   student_row=bool(data.get("student_row")),
                   submission_row=bool(data.get("submission_row")),
                   timestamp=data.get("timestamp"),
                   missing=[str(name) for name in data.get("missing", [])],
                   notebooks={str(name): NotebookRows.from_json(rows)
                              for name, rows in data.get("notebooks", {}).items()},
                   files=dict(files or {}), feedback=dict(feedback or {}),
                   feedback_failure=str(data.get("feedback_failure") or ""),
                   failure=str(data.get("failure") or ""), fatal=bool(data.get("fatal")),
                   timings=dict(data.get("timings") or {}))
