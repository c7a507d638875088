"""How a verdict looks in a graded notebook and in the feedback HTML."""

import html

from nbformat.v4 import new_output

from .diagnose import CATALOGUE
from .results import ItemResult


def diagnosis_title(result: ItemResult) -> str:
    mistake = CATALOGUE.get(result.diagnosis)
    return mistake.title if mistake else result.diagnosis

ICONS = {"correct": "✅", "partial": "🟡", "incorrect": "❌", "not attempted": "⬜", "error": "❌"}
COLOURS = {"correct": "#1b6e20", "partial": "#8a6d00", "incorrect": "#a31515",
           "not attempted": "#555", "error": "#a31515"}


def as_html(result: ItemResult) -> str:
    colour = COLOURS.get(result.status, "#333")
    icon = ICONS.get(result.status, "")
    parts = [
        f'<div class="backprop-verdict" style="border-left:4px solid {colour};padding:4px 10px;">',
        f'<strong style="color:{colour}">{icon} {result.score:g} / {result.max_score:g} points'
        f' ({html.escape(result.status)})</strong><br>',
        html.escape(result.message),
    ]
    if result.diagnosis:
        parts.append(f"<br><em>Diagnosis:</em> {html.escape(diagnosis_title(result))}")
    if result.hint:
        parts.append(f"<br><em>Hint:</em> {html.escape(result.hint)}")
    parts.append("</div>")
    return "".join(parts)


def as_text(result: ItemResult) -> str:
    lines = [f"{result.score:g} / {result.max_score:g} points ({result.status}): {result.message}"]
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
