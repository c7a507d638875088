"""How a verdict looks in a graded notebook and in the feedback HTML.

The icons are inline SVG, so they show without an emoji font; every status,
carried-forward marks included, has its own icon and colour. Messages are
written in a little Markdown (code in backticks, *emphasis*), rendered here
by :func:`inline_html`, which escapes everything else: a message may quote a
student's exception text.

Every word shown is looked up in the current language (the submission's, set
by the step that calls these functions); a status is shown by
:func:`status_text`, never by its value, which JSON files and code read.
"""

import html
import re
import threading

from nbformat.v4 import new_output

from .. import i18n, plot_fonts
from ..core.course import ITEMS_BY_ID
from ..core.diagnose import CATALOGUE
from ..core.results import ItemResult, Status
from ..i18n import N_, _, ngettext


def diagnosis_title(result: ItemResult) -> str:
    mistake = CATALOGUE.get(result.diagnosis)
    return _(mistake.title) if mistake else result.diagnosis


#: How each status is shown to a reader (the values stay what code and JSON read).
STATUS_TEXT = {Status.CORRECT: N_("correct"), Status.PARTIAL: N_("partial"),
               Status.INCORRECT: N_("incorrect"), Status.NOT_ATTEMPTED: N_("not attempted"),
               Status.ERROR: N_("error"), Status.CARRIED_FORWARD: N_("carried forward")}


def status_text(status) -> str:
    """``status`` in the reader's words."""
    status = Status.parse(status)
    return _(STATUS_TEXT.get(status, status.value))


def item_title(result: ItemResult) -> str:
    """The item's title (its Markdown), or its grade id for an item the course does not have."""
    item = ITEMS_BY_ID.get(result.grade_id)
    return _(item.title) if item else result.grade_id


def _labelled(label: str, body: str) -> str:
    """A label ("Hint:", in the reader's language) in italics, then ``body`` (HTML); no
    space after a label that ends with a full-width colon."""
    space = "" if label.endswith("\N{FULLWIDTH COLON}") else " "
    return f"<br><em>{html.escape(label)}</em>{space}{body}"


def _svg(body: str, colour: str) -> str:
    return (f'<svg class="backprop-icon" width="16" height="16" viewBox="0 0 16 16" '
            f'aria-hidden="true" style="vertical-align:-3px;margin-right:4px">'
            f'<circle cx="8" cy="8" r="7.5" fill="{colour}"/>{body}</svg>')


_STROKE = 'fill="none" stroke="white" stroke-width="2" stroke-linecap="round"'
COLOURS = {Status.CORRECT: "#1b6e20", Status.CARRIED_FORWARD: "#1f5f8b",
           Status.PARTIAL: "#8a6d00", Status.INCORRECT: "#a31515",
           Status.NOT_ATTEMPTED: "#666666", Status.ERROR: "#7a1f5c"}
#: A tick, an arrow (marks carried forward from a wrong earlier value), a half,
#: a cross, an empty ring, an exclamation mark.
ICONS = {
    Status.CORRECT: _svg(f'<path d="M4.5 8.3l2.3 2.3 4.7-5" {_STROKE}/>', COLOURS[Status.CORRECT]),
    Status.CARRIED_FORWARD: _svg(f'<path d="M4 8h7M8.5 5l3 3-3 3" {_STROKE}/>',
                                 COLOURS[Status.CARRIED_FORWARD]),
    Status.PARTIAL: _svg('<path d="M8 1.5a6.5 6.5 0 0 1 0 13z" fill="white"/>',
                         COLOURS[Status.PARTIAL]),
    Status.INCORRECT: _svg(f'<path d="M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4" {_STROKE}/>',
                           COLOURS[Status.INCORRECT]),
    Status.NOT_ATTEMPTED: _svg('<circle cx="8" cy="8" r="4.5" fill="white"/>',
                               COLOURS[Status.NOT_ATTEMPTED]),
    Status.ERROR: _svg(f'<path d="M8 4v5" {_STROKE}/><circle cx="8" cy="11.8" r="1.1" '
                       'fill="white"/>', COLOURS[Status.ERROR]),
}

_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")


def inline_html(text: str) -> str:
    """A message's Markdown as HTML: `code`, **strong**, *em*; everything else escaped."""
    pieces = _CODE.split(str(text))
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(f"<code>{html.escape(piece)}</code>")
        else:
            piece = html.escape(piece)
            piece = _STRONG.sub(r"<strong>\1</strong>", piece)
            out.append(_EM.sub(r"<em>\1</em>", piece))
    return "".join(out)


def points_text(result: ItemResult) -> str:
    count = int(result.max_score) if result.max_score == int(result.max_score) else 2
    return ngettext("{score:g} of {max:g} point", "{score:g} of {max:g} points",
                    count).format(score=result.score, max=result.max_score)


def as_html(result: ItemResult) -> str:
    colour = COLOURS.get(result.status, "#333")
    title = (inline_html(item_title(result)) if result.grade_id in ITEMS_BY_ID
             else html.escape(result.grade_id))
    heading = _("{title}: {points} ({status})").format(
        title=title, points=html.escape(points_text(result)),
        status=html.escape(status_text(result.status)))
    parts = [
        f'<div class="backprop-verdict" id="{html.escape(result.grade_id)}" '
        f'style="border-left:4px solid {colour};padding:4px 10px;line-height:1.5">',
        f'<strong style="color:{colour}">{ICONS.get(result.status, "")}{heading}</strong><br>',
        inline_html(result.message),
    ]
    if result.diagnosis:
        parts.append(_labelled(_("Diagnosis:"), inline_html(diagnosis_title(result))))
    if result.hint:
        parts.append(_labelled(_("Hint:"), inline_html(result.hint)))
    parts.append("</div>")
    return "".join(parts)


def as_text(result: ItemResult) -> str:
    lines = [_("{points} ({status}): {message}").format(
        points=points_text(result), status=status_text(result.status), message=result.message)]
    if result.diagnosis:
        lines.append(_("Diagnosis: {title}").format(title=diagnosis_title(result)))
    if result.hint:
        lines.append(_("Hint: {hint}").format(hint=result.hint))
    return "\n".join(lines)


def verdict_outputs(result: ItemResult) -> list:
    """The outputs of a graded check cell.

    The ``execute_result`` is the builtin float nbgrader reads as the score; it
    comes last so that nothing else in the cell is taken for a score.
    """
    return [
        new_output("display_data", data={"text/html": as_html(result), "text/plain": as_text(result)}),
        new_output("execute_result", data={"text/plain": repr(float(result.score))},
                   execution_count=None),
    ]


#: The largest loss value the plot draws.
PLOT_LIMIT = 1e6
#: matplotlib's settings are global: one plot at a time is drawn with the course's fonts
#: (a worker grades in several threads).
_DRAWING = threading.Lock()


def loss_curve_png(student, reference) -> str | None:
    """A base64 PNG of the student's training loss against the reference's.

    Drawn on a bare ``Figure`` with a fixed layout (no pyplot state, no layout
    pass): it is drawn once per graded submission, in the coordinating process.
    Its labels are in the current language when this machine has the fonts to
    draw it (:mod:`autograder.plot_fonts`), in English otherwise.
    """
    import base64
    import io

    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure

    try:
        student = np.asarray(student, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    reference = np.asarray(reference, dtype=float).ravel()
    with _DRAWING, i18n.language(plot_fonts.plot_language()), \
            matplotlib.rc_context(plot_fonts.font_rc()):
        fig = Figure(figsize=(6, 3.4), dpi=80)
        ax = fig.add_axes((0.13, 0.14, 0.83, 0.76))
        ax.plot(np.arange(1, reference.size + 1), reference, color="#1b6e20", lw=2,
                label=_("expected (reference)"))
        # Only a curve matplotlib can scale is drawn: a y-range as wide as ±1e308
        # overflows its tick arithmetic (a training MSE lies between 0 and 1 anyway).
        if student.size and np.all(np.isfinite(student)) \
                and np.max(np.abs(student)) <= PLOT_LIMIT:
            ax.plot(np.arange(1, student.size + 1), student, color="#a31515", lw=1.5,
                    ls="--", label=_("your training"))
        ax.set_xlabel(_("epoch"))
        ax.set_ylabel(_("training MSE (all records)"))
        ax.set_title(_("Training loss: yours against the expected curve"))
        ax.legend(loc="upper right")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def image_output(png_base64: str, caption: str):
    """A PNG output whose caption is also its alternative text."""
    return new_output("display_data", data={"image/png": png_base64, "text/plain": caption},
                      metadata={"image/png": {"alt": caption}})


#: The alternative text of a figure the student's own cell drew.
STUDENT_FIGURE = N_("A figure from {cell}.")


def describe_figures(nb, name_of) -> None:
    """Give every image a student's cell drew an alternative text, naming the cell
    (``name_of(index)``), unless it has one."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            for mime in ("image/png", "image/jpeg"):
                if mime in data:
                    meta = output.setdefault("metadata", {}).setdefault(mime, {})
                    if not meta.get("alt") and not cell.get("metadata", {}).get("alt"):
                        meta["alt"] = _(STUDENT_FIGURE).format(cell=name_of(index))
