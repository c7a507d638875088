"""``backprop report``: class analytics for the instructor.

Reads the gradebook (scores), the structured results the verdict step keeps
next to each graded notebook (status and diagnosis per item), and the last
``backprop grade`` run's failures, then writes into one folder:

* ``report.html``: the score histogram, each item's success rate, the most
  frequent diagnosed mistakes with the students who made them, and the
  submissions that failed to grade and why; its images are embedded and also
  saved as PNG files beside it;
* ``items.csv``: one row per student and item.
"""

import base64
import csv
import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .course import ASSIGNMENT, ITEMS, NOTEBOOK, TOTAL_POINTS
from .diagnose import CATALOGUE
from .preprocessors.apply_verdicts import RESULTS_FILE

LAST_RUN = Path(".backprop") / "last-run.json"


@dataclass
class ClassResults:
    scores: dict                      # student -> {grade_id: score or None}
    details: dict                     # student -> {grade_id: result dict}
    failed: dict = field(default_factory=dict)   # student -> reason

    @property
    def students(self):
        return sorted(set(self.scores) | set(self.failed))

    def total(self, student):
        row = self.scores.get(student, {})
        return sum(v for v in row.values() if v is not None)

    def mistakes(self):
        """``{mistake: sorted students}``, most frequent first."""
        seen = defaultdict(set)
        for student, items in self.details.items():
            for result in items.values():
                if result.get("diagnosis"):
                    seen[result["diagnosis"]].add(student)
        return dict(sorted(((k, sorted(v)) for k, v in seen.items()),
                           key=lambda kv: (-len(kv[1]), kv[0])))


def collect(course, assignment=ASSIGNMENT) -> ClassResults:
    from .course_dir import read_grades

    course = Path(course)
    scores = read_grades(course, assignment)
    details = {}
    for student in scores:
        path = course / "autograded" / student / assignment / RESULTS_FILE
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            details[student] = {r["grade_id"]: r for r in record.get("items", [])}
        except (OSError, ValueError, KeyError, TypeError):
            details[student] = {}
    failed = {}
    try:
        failed.update(json.loads((course / LAST_RUN).read_text(encoding="utf-8")).get("failed", {}))
    except (OSError, ValueError, AttributeError):
        pass
    submitted = course / "submitted"
    if submitted.is_dir():
        for folder in sorted(submitted.iterdir()):
            student = folder.name
            if (folder / assignment).is_dir() and student not in scores and student not in failed:
                failed[student] = "no grades in the gradebook (never graded, or grading failed)"
    for student, row in scores.items():
        if row and all(v is None for v in row.values()) and student not in failed:
            failed[student] = "every grade is blank (needs manual grading)"
    return ClassResults(scores, details, failed)


def _figure_png(draw):
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3.6), dpi=90)  # no pyplot: no global state, no GUI backend
    draw(fig.add_subplot())
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def histogram_png(results: ClassResults) -> bytes:
    totals = [results.total(s) for s in results.scores]

    def draw(ax):
        ax.hist(totals, bins=range(0, int(TOTAL_POINTS) + 2), color="#30466f", edgecolor="white")
        ax.set_xlabel(f"total score (of {TOTAL_POINTS:g})")
        ax.set_ylabel("students")
        ax.set_title(f"Scores of {len(totals)} graded submissions")
    return _figure_png(draw)


def success_rates(results: ClassResults) -> dict:
    rates = {}
    for item in ITEMS:
        row = [results.scores[s].get(item.grade_id) for s in results.scores]
        row = [v for v in row if v is not None]
        rates[item.grade_id] = (sum(v >= item.points for v in row) / len(row)) if row else 0.0
    return rates


def success_png(rates: dict) -> bytes:
    def draw(ax):
        names = [item.short or item.grade_id for item in ITEMS]
        values = [100 * rates[item.grade_id] for item in ITEMS]
        ax.barh(names[::-1], values[::-1], color="#1b6e20")
        ax.set_xlim(0, 100)
        ax.set_xlabel("students with full marks (%)")
        ax.set_title("Success rate of each item")
    return _figure_png(draw)


def mistakes_png(mistakes: dict) -> bytes:
    def draw(ax):
        top = list(mistakes.items())[:10]
        names = [CATALOGUE[k].title if k in CATALOGUE else k for k, _ in top]
        counts = [len(v) for _, v in top]
        ax.barh(names[::-1], counts[::-1], color="#a31515")
        ax.set_xlabel("students")
        ax.set_title("Most frequent diagnosed mistakes")
    return _figure_png(draw)


def write_csv(results: ClassResults, path: Path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "grade_id", "score", "max_score", "status", "diagnosis",
                         "message"])
        for student in results.students:
            for item in ITEMS:
                score = results.scores.get(student, {}).get(item.grade_id)
                detail = results.details.get(student, {}).get(item.grade_id, {})
                status = detail.get("status") or ("failed to grade" if student in results.failed
                                                  else "")
                writer.writerow([student, item.grade_id, "" if score is None else score,
                                 item.points, status, detail.get("diagnosis", ""),
                                 detail.get("message", "")])


def _img(name, data):
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(name)}" src="data:image/png;base64,{encoded}">'


def render_html(results: ClassResults, images: dict, rates: dict, assignment) -> str:
    e = html.escape
    totals = [results.total(s) for s in results.scores]
    mean = sum(totals) / len(totals) if totals else 0.0
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Class report: {e(assignment)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
        "text-align:left}img{max-width:100%}</style></head><body>",
        f"<h1>Class report: {e(assignment)}</h1>",
        f"<p>{len(results.scores)} submissions graded, {len(results.failed)} failed to grade. "
        f"Mean score {mean:.1f} of {TOTAL_POINTS:g}.</p>",
        "<h2>Scores</h2>", _img("score histogram", images["scores_histogram.png"]),
        "<h2>Success rate of each item</h2>", _img("item success", images["item_success.png"]),
        "<table><tr><th>item</th><th>points</th><th>full marks</th></tr>",
    ]
    for item in ITEMS:
        parts.append(f"<tr><td>{e(item.title)}</td><td>{item.points:g}</td>"
                     f"<td>{100 * rates[item.grade_id]:.0f} %</td></tr>")
    parts.append("</table><h2>Most frequent diagnosed mistakes</h2>")
    mistakes = results.mistakes()
    if mistakes:
        parts.append(_img("mistakes", images["mistakes.png"]))
        parts.append("<table><tr><th>mistake</th><th>students</th><th>who</th></tr>")
        for name, students in mistakes.items():
            title = CATALOGUE[name].title if name in CATALOGUE else name
            parts.append(f"<tr><td>{e(title)}</td><td>{len(students)}</td>"
                         f"<td>{e(', '.join(students))}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No mistake was diagnosed.</p>")
    parts.append("<h2>Submissions that failed to grade</h2>")
    if results.failed:
        parts.append("<table><tr><th>student</th><th>why</th></tr>")
        for student, reason in sorted(results.failed.items()):
            parts.append(f"<tr><td>{e(student)}</td><td>{e(str(reason))}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(*, course, assignment=ASSIGNMENT, out_dir=None) -> Path:
    """Write the report files and return the folder they are in."""
    course = Path(course)
    results = collect(course, assignment)
    out = Path(out_dir) if out_dir else course / "reports" / assignment
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


def run_report(assignment=ASSIGNMENT, *, course=None, out_dir=None) -> int:
    import sys

    from .course_dir import CourseError, find_course_root

    try:
        root = Path(course).resolve() if course else find_course_root()
        if not (root / "nbgrader_config.py").is_file():
            raise CourseError(f"{root} is not a course folder (no nbgrader_config.py)")
        out = write_report(course=root, assignment=assignment, out_dir=out_dir)
    except CourseError as exc:
        print(f"backprop report: {exc}", file=sys.stderr)
        return 2
    print(f"Class report: {out / 'report.html'}")
    print(f"Per-item CSV: {out / 'items.csv'}")
    return 0


__all__ = ["ClassResults", "collect", "write_report", "run_report", "NOTEBOOK"]
