"""The class report's HTML page: one file, its images embedded."""

import base64
import html

from .. import i18n
from ..core.course import ITEMS, TOTAL_POINTS
from ..core.diagnose import title
from ..i18n import _
from ..pipeline.render import inline_html
from .collect import ClassResults


#: Students named per mistake, and rows of each list of students, on the page; the
#: files next to it have them all (the page stays small for a class of 10,000).
NAMES_SHOWN = 50
ROWS_SHOWN = 200


def _names(students) -> str:
    """At most NAMES_SHOWN names, then how many more (the page stays small for a large class)."""
    shown = ", ".join(students[:NAMES_SHOWN])
    more = len(students) - NAMES_SHOWN
    if more <= 0:
        return shown
    return _("{names} and {n} more (see items.csv)").format(names=shown, n=more)


def _more(rows, message) -> str:
    """The line under a list cut at ROWS_SHOWN rows (``message`` says how many more,
    ``{n}``, and where they are), or nothing."""
    more = len(rows) - ROWS_SHOWN
    return f"<p>{html.escape(message.format(n=more))}</p>" if more > 0 else ""


def _img(name, data):
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(name)}" src="data:image/png;base64,{encoded}">'


def _tag(tag, text) -> str:
    """``text`` (escaped) in an element ``tag``."""
    return f"<{tag}>{html.escape(text)}</{tag}>"


def _row(*cells, header=False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f"<{tag}>{cell}</{tag}>" for cell in cells) + "</tr>"


def _table(*headings) -> str:
    """The start of a table: its row of headings (escaped)."""
    return "<table>" + _row(*(html.escape(h) for h in headings), header=True)


def _summary(results, mean, mean_final, late) -> str:
    values = {"graded": len(results.scores), "failed": len(results.failed), "mean": mean,
              "total": TOTAL_POINTS, "final": mean_final, "n": len(late)}
    if late:
        text = _("Submissions graded: {graded}. Submissions that could not be graded: "
                 "{failed}. Mean score {mean:.1f} of {total:g}, {final:.1f} after late "
                 "penalties ({n} late).")
    else:
        text = _("Submissions graded: {graded}. Submissions that could not be graded: "
                 "{failed}. Mean score {mean:.1f} of {total:g}.")
    return html.escape(text.format(**values))


def _html_open() -> str:
    """The page's ``<html>`` tag; a page in another language than English says which,
    so that browsers pick the right glyphs."""
    code = i18n.current()
    if code == i18n.DEFAULT:
        return "<html>"
    return f'<html lang="{html.escape(code.replace("_", "-"))}">'


def render_html(results: ClassResults, images: dict, rates: dict, assignment) -> str:
    e = html.escape
    totals = [results.total(s) for s in results.scores]
    finals = [results.final(s) for s in results.scores]
    mean = sum(totals) / len(totals) if totals else 0.0
    mean_final = sum(finals) / len(finals) if finals else 0.0
    late = sorted(s for s in results.scores if results.penalty(s))
    heading = e(_("Class report: {assignment}").format(assignment=assignment))
    parts = [
        f"<!DOCTYPE html>{_html_open()}<head><meta charset='utf-8'>",
        f"<title>{heading}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
        "text-align:left}img{max-width:100%}</style></head><body>",
        f"<h1>{heading}</h1>",
        f"<p>{_summary(results, mean, mean_final, late)}</p>",
        _tag("h2", _("Scores")),
        _img(_("score histogram"), images["scores_histogram.png"]),
        _tag("h2", _("Success rate of each item")),
        _img(_("item success"), images["item_success.png"]),
        _table(_("item"), _("points"), _("full marks")),
    ]
    for item in ITEMS:
        parts.append(_row(inline_html(item.title), f"{item.points:g}",
                          f"{100 * rates[item.grade_id]:.0f} %"))
    parts.append("</table>" + _tag("h2", _("Most frequent diagnosed mistakes")))
    mistakes = results.mistakes()
    if mistakes:
        parts.append(_img(_("mistakes"), images["mistakes.png"]))
        parts.append(_table(_("mistake"), _("students"), _("who")))
        for key, students in mistakes.items():
            parts.append(_row(e(title(key)), len(students), e(_names(students))))
        parts.append("</table>")
    else:
        parts.append(_tag("p", _("No mistake was diagnosed.")))
    if late:
        parts.append(_tag("h2", _("Late submissions"))
                     + _table(_("student"), _("score"), _("late penalty"),
                              _("score after the penalty")))
        for student in late[:ROWS_SHOWN]:
            parts.append(_row(e(student), f"{results.total(student):g}",
                              f"{results.penalty(student):g}", f"{results.final(student):g}"))
        parts.append("</table>")
        parts.append(_more(late, _("... and {n} more (nbgrader export lists every penalty).")))
    errors = results.errors()
    parts.append(_tag("h2", _("Submissions whose code raised an error")))
    if errors:
        parts.append(_table(_("student"), _("items"), _("first message")))
        for student, rows in list(errors.items())[:ROWS_SHOWN]:
            ids = ", ".join(gid for gid, _message in rows)
            parts.append(_row(e(student), e(ids), inline_html(rows[0][1])))
        parts.append("</table>")
        parts.append(_more(errors, _("... and {n} more (see items.csv).")))
    else:
        parts.append(_tag("p", _("None.")))
    parts.append(_tag("h2", _("Submissions that could not be graded")))
    if results.failed:
        parts.append(_table(_("student"), _("why")))
        failed = sorted(results.failed.items())
        for student, reason in failed[:ROWS_SHOWN]:
            parts.append(_row(e(student), e(str(reason))))
        parts.append("</table>")
        parts.append(_more(failed, _("... and {n} more (see items.csv).")))
    else:
        parts.append(_tag("p", _("None.")))
    parts.append("</body></html>")
    return "\n".join(parts)
