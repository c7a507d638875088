"""A graded class, read back: scores from the gradebook, details from the verdicts.

The gradebook holds every score; the structured results that the verdict step
keeps beside each graded notebook hold each item's status and diagnosis; the
last ``backprop grade`` run's report names the submissions that failed.

The reasons this module gives itself are in the current language (the class is
collected when its report is written); the stored ones stay as they were written.
A diagnosis is stored as its family key, and the report looks its title up in the
reader's language.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..constants import LAST_RUN_FILE, RESULTS_FILE, STATE_DIR
from ..core.course import ASSIGNMENT
from ..core.results import GradedSubmission, Status
from ..i18n import _
from ..pipeline.gradebook_index import ensure_indexes
from ..workspace.folder import db_url, read_grades, read_penalties


@dataclass
class ClassResults:
    scores: dict                      # student -> {grade_id: score or None}
    details: dict                     # student -> {grade_id: ItemResult}
    failed: dict = field(default_factory=dict)   # student -> reason
    penalties: dict = field(default_factory=dict)  # student -> late penalty (points)

    @property
    def students(self):
        return sorted(set(self.scores) | set(self.failed))

    def total(self, student):
        """The raw total, before any late penalty."""
        row = self.scores.get(student, {})
        return sum(v for v in row.values() if v is not None)

    def penalty(self, student) -> float:
        return float(self.penalties.get(student) or 0.0)

    def final(self, student) -> float:
        """The total after the late penalty, as ``nbgrader export`` reports it."""
        return max(0.0, self.total(student) - self.penalty(student))

    def errors(self) -> dict:
        """``{student: [(grade_id, message)]}`` of the items whose code raised or could
        not be run (status "error"), for the submissions that were graded."""
        found = {}
        for student, items in sorted(self.details.items()):
            rows = [(gid, r.message) for gid, r in items.items() if r.status == Status.ERROR]
            if rows:
                found[student] = rows
        return found

    def mistakes(self):
        """``{mistake: sorted students}``, most frequent first."""
        seen = defaultdict(set)
        for student, items in self.details.items():
            for result in items.values():
                if result.diagnosis:
                    seen[result.diagnosis].add(student)
        return dict(sorted(((k, sorted(v)) for k, v in seen.items()),
                           key=lambda kv: (-len(kv[1]), kv[0])))


def collect(course, assignment=ASSIGNMENT) -> ClassResults:
    course = Path(course)
    ensure_indexes(db_url(course))  # nbgrader's score queries scan whole tables without them
    scores = read_grades(course, assignment)
    details = {}
    for student in scores:
        path = course / "autograded" / student / assignment / RESULTS_FILE
        try:
            graded = GradedSubmission.from_json(json.loads(path.read_text(encoding="utf-8")))
            details[student] = graded.by_id()
        except (OSError, ValueError, AttributeError):
            details[student] = {}
    failed = {}
    try:
        last_run = course / STATE_DIR / LAST_RUN_FILE
        failed.update(json.loads(last_run.read_text(encoding="utf-8")).get("failed", {}))
    except (OSError, ValueError, AttributeError):
        pass
    submitted = course / "submitted"
    if submitted.is_dir():
        for folder in sorted(submitted.iterdir()):
            student = folder.name
            if (folder / assignment).is_dir() and student not in scores and student not in failed:
                failed[student] = _("no grades in the gradebook (never graded, or grading "
                                    "failed)")
    for student, row in scores.items():
        if row and all(v is None for v in row.values()) and student not in failed:
            failed[student] = _("every grade is blank (needs manual grading)")
    return ClassResults(scores, details, failed, read_penalties(course, assignment))
