"""``backprop report``: class analytics for the instructor.

Reads a graded class (:mod:`.collect`) and writes into one folder:

* ``report.html``: the score histogram, each item's success rate, the most
  frequent diagnosed mistakes with the students who made them, and the
  submissions that failed to grade and why; its images (:mod:`.charts`) are
  embedded (:mod:`.page`) and also saved as PNG files beside it;
* ``items.csv``: one row per student and item.

The page and the charts are in the current language (``backprop report --lang``,
or the environment), or in ``lang`` when given; ``items.csv`` is for programs: its
column names and statuses stay as they are.
"""

import csv
import sys
from contextlib import nullcontext
from pathlib import Path

from .. import i18n
from ..constants import REPORTS_DIR
from ..core.course import ASSIGNMENT, ITEMS
from ..i18n import _
from ..workspace.folder import CourseError, course_folder, require_assignment
from .charts import histogram_png, mistakes_png, success_png, success_rates
from .collect import ClassResults, collect
from .page import render_html


def write_csv(results: ClassResults, path: Path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "grade_id", "score", "max_score", "status", "diagnosis",
                         "message"])
        for student in results.students:
            for item in ITEMS:
                score = results.scores.get(student, {}).get(item.grade_id)
                detail = results.details.get(student, {}).get(item.grade_id)
                status = (detail.status.value if detail else
                          "failed to grade" if student in results.failed else "")
                writer.writerow([student, item.grade_id, "" if score is None else score,
                                 item.points, status, detail.diagnosis if detail else "",
                                 detail.message if detail else ""])


def _language(lang):
    """The block in which the report is written: ``lang``'s, or the current language."""
    return nullcontext() if lang is None else i18n.language(lang)


def write_report(*, course, assignment=ASSIGNMENT, out_dir=None, lang=None) -> Path:
    """Write the report files and return the folder they are in."""
    with _language(lang):
        return _write_report(Path(course), assignment, out_dir)


def _write_report(course, assignment, out_dir) -> Path:
    results = collect(course, assignment)
    out = Path(out_dir) if out_dir else course / REPORTS_DIR / assignment
    out.mkdir(parents=True, exist_ok=True)
    rates = success_rates(results)
    images = {
        "scores_histogram.png": histogram_png(results),
        "item_success.png": success_png(rates),
        "mistakes.png": mistakes_png(results.mistakes()),
    }
    for name, data in images.items():
        (out / name).write_bytes(data)
    write_csv(results, out / "items.csv")
    (out / "report.html").write_text(render_html(results, images, rates, assignment),
                                     encoding="utf-8")
    return out


def run_report(assignment=ASSIGNMENT, *, course=None, out_dir=None, lang=None) -> int:
    with _language(lang):
        try:
            root = course_folder(course)
            require_assignment(root, assignment)
            out = write_report(course=root, assignment=assignment, out_dir=out_dir)
        except CourseError as exc:
            print(f"backprop report: {exc}", file=sys.stderr)
            return 2
        print(_("Class report: {path}").format(path=out / "report.html"))
        print(_("Per-item CSV: {path}").format(path=out / "items.csv"))
    return 0
