"""The class report's HTML page: one file, its images embedded."""

import base64
import html

from ..core.course import ITEMS, TOTAL_POINTS
from ..core.diagnose import CATALOGUE
from ..pipeline.render import inline_html
from .collect import ClassResults


def _img(name, data):
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(name)}" src="data:image/png;base64,{encoded}">'


def render_html(results: ClassResults, images: dict, rates: dict, assignment) -> str:
    e = html.escape
    totals = [results.total(s) for s in results.scores]
    finals = [results.final(s) for s in results.scores]
    mean = sum(totals) / len(totals) if totals else 0.0
    mean_final = sum(finals) / len(finals) if finals else 0.0
    late = sorted(s for s in results.scores if results.penalty(s))
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Class report: {e(assignment)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
        "text-align:left}img{max-width:100%}</style></head><body>",
        f"<h1>Class report: {e(assignment)}</h1>",
        "<p>Submissions graded: {graded}. Submissions that could not be graded: {failed}. "
        "Mean score {mean:.1f} of {total:g}{after}.</p>".format(
            graded=len(results.scores), failed=len(results.failed), mean=mean,
            total=TOTAL_POINTS,
            after=(", {final:.1f} after late penalties ({n} late)".format(
                final=mean_final, n=len(late)) if late else "")),
        "<h2>Scores</h2>", _img("score histogram", images["scores_histogram.png"]),
        "<h2>Success rate of each item</h2>", _img("item success", images["item_success.png"]),
        "<table><tr><th>item</th><th>points</th><th>full marks</th></tr>",
    ]
    for item in ITEMS:
        parts.append(f"<tr><td>{inline_html(item.title)}</td><td>{item.points:g}</td>"
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
    if late:
        parts.append("<h2>Late submissions</h2><table><tr><th>student</th><th>score</th>"
                     "<th>late penalty</th><th>score after the penalty</th></tr>")
        for student in late:
            parts.append(f"<tr><td>{e(student)}</td><td>{results.total(student):g}</td>"
                         f"<td>{results.penalty(student):g}</td>"
                         f"<td>{results.final(student):g}</td></tr>")
        parts.append("</table>")
    errors = results.errors()
    parts.append("<h2>Submissions whose code raised an error</h2>")
    if errors:
        parts.append("<table><tr><th>student</th><th>items</th><th>first message</th></tr>")
        for student, rows in errors.items():
            ids = ", ".join(gid for gid, _ in rows)
            parts.append(f"<tr><td>{e(student)}</td><td>{e(ids)}</td>"
                         f"<td>{inline_html(rows[0][1])}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    parts.append("<h2>Submissions that could not be graded</h2>")
    if results.failed:
        parts.append("<table><tr><th>student</th><th>why</th></tr>")
        for student, reason in sorted(results.failed.items()):
            parts.append(f"<tr><td>{e(student)}</td><td>{e(str(reason))}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
