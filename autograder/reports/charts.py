"""The class report's charts, drawn on bare matplotlib figures (no pyplot state)."""

import io

from ..core.course import ITEMS, TOTAL_POINTS
from ..core.diagnose import CATALOGUE
from .collect import ClassResults


def _whole_numbers(axis) -> None:
    """Ticks at whole numbers only: a count of students has no quarters."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _figure_png(draw, seen=None):
    """The PNG of one chart; ``seen`` (a list) receives its axes, for inspection."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3.6), dpi=90)  # no pyplot: no global state, no GUI backend
    ax = fig.add_subplot()
    draw(ax)
    if seen is not None:
        seen.append(ax)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def histogram_png(results: ClassResults, seen=None) -> bytes:
    totals = [results.final(s) for s in results.scores]
    penalised = any(results.penalty(s) for s in results.scores)

    def draw(ax):
        ax.hist(totals, bins=range(0, int(TOTAL_POINTS) + 2), color="#30466f", edgecolor="white")
        ax.set_xlabel(("total score after late penalties (of {total:g})" if penalised
                       else "total score (of {total:g})").format(total=TOTAL_POINTS))
        ax.set_ylabel("students")
        _whole_numbers(ax.yaxis)
        ax.set_title("Scores of the graded submissions ({n})".format(n=len(totals)))
    return _figure_png(draw, seen)


def success_rates(results: ClassResults) -> dict:
    rates = {}
    for item in ITEMS:
        row = [results.scores[s].get(item.grade_id) for s in results.scores]
        row = [v for v in row if v is not None]
        rates[item.grade_id] = (sum(v >= item.points for v in row) / len(row)) if row else 0.0
    return rates


def success_png(rates: dict, seen=None) -> bytes:
    def draw(ax):
        names = [item.label or item.grade_id for item in ITEMS]
        values = [100 * rates[item.grade_id] for item in ITEMS]
        ax.barh(names[::-1], values[::-1], color="#1b6e20")
        ax.set_xlim(0, 100)
        ax.set_xlabel("students with full marks (%)")
        ax.set_title("Success rate of each item")
    return _figure_png(draw, seen)


def mistakes_png(mistakes: dict, seen=None) -> bytes:
    def draw(ax):
        top = list(mistakes.items())[:10]
        names = [CATALOGUE[k].title if k in CATALOGUE else k for k, _ in top]
        counts = [len(v) for _, v in top]
        ax.barh(names[::-1], counts[::-1], color="#a31515")
        ax.set_xlabel("students")
        _whole_numbers(ax.xaxis)
        ax.set_title("Most frequent diagnosed mistakes")
    return _figure_png(draw, seen)
