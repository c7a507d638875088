"""How a verdict looks in a graded notebook and in the feedback HTML."""

import html

from nbformat.v4 import new_output

from ..core.diagnose import CATALOGUE
from ..core.results import ItemResult, Status


def diagnosis_title(result: ItemResult) -> str:
    mistake = CATALOGUE.get(result.diagnosis)
    return mistake.title if mistake else result.diagnosis


ICONS = {Status.CORRECT: "✅", Status.PARTIAL: "🟡", Status.INCORRECT: "❌",
         Status.NOT_ATTEMPTED: "⬜", Status.ERROR: "❌"}
COLOURS = {Status.CORRECT: "#1b6e20", Status.PARTIAL: "#8a6d00", Status.INCORRECT: "#a31515",
           Status.NOT_ATTEMPTED: "#555", Status.ERROR: "#a31515"}


def as_html(result: ItemResult) -> str:
    colour = COLOURS.get(result.status, "#333")
    icon = ICONS.get(result.status, "")
    parts = [
        f'<div class="backprop-verdict" style="border-left:4px solid {colour};padding:4px 10px;">',
        f'<strong style="color:{colour}">{icon} {result.score:g} / {result.max_score:g} points'
        f' ({html.escape(result.status.value)})</strong><br>',
        html.escape(result.message),
    ]
    if result.diagnosis:
        parts.append(f"<br><em>Diagnosis:</em> {html.escape(diagnosis_title(result))}")
    if result.hint:
        parts.append(f"<br><em>Hint:</em> {html.escape(result.hint)}")
    parts.append("</div>")
    return "".join(parts)


def as_text(result: ItemResult) -> str:
    lines = [f"{result.score:g} / {result.max_score:g} points ({result.status.value}): {result.message}"]
    if result.diagnosis:
        lines.append(f"Diagnosis: {diagnosis_title(result)}")
    if result.hint:
        lines.append(f"Hint: {result.hint}")
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


def loss_curve_png(student, reference) -> str | None:
    """A base64 PNG of the student's training loss against the reference's.

    Drawn on a bare ``Figure`` with a fixed layout (no pyplot state, no layout
    pass): it is drawn once per graded submission, in the coordinating process.
    """
    import base64
    import io

    import numpy as np
    from matplotlib.figure import Figure

    try:
        student = np.asarray(student, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    reference = np.asarray(reference, dtype=float).ravel()
    fig = Figure(figsize=(6, 3.4), dpi=80)
    ax = fig.add_axes((0.13, 0.14, 0.83, 0.76))
    ax.plot(np.arange(1, reference.size + 1), reference, color="#1b6e20", lw=2,
            label="expected (reference)")
    # Only a curve matplotlib can scale is drawn: a y-range as wide as ±1e308
    # overflows its tick arithmetic (a training MSE lies between 0 and 1 anyway).
    if student.size and np.all(np.isfinite(student)) and np.max(np.abs(student)) <= PLOT_LIMIT:
        ax.plot(np.arange(1, student.size + 1), student, color="#a31515", lw=1.5,
                ls="--", label="your training")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training MSE (all records)")
    ax.set_title("Training loss: yours against the expected curve")
    ax.legend(loc="upper right")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def image_output(png_base64: str, caption: str):
    return new_output("display_data", data={"image/png": png_base64, "text/plain": caption})
