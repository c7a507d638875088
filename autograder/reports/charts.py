"""The class report's charts, drawn on bare matplotlib figures (no pyplot state)."""

import io
import textwrap

from ..core.course import ITEMS, TOTAL_POINTS
from ..core.diagnose import CATALOGUE
from .collect import ClassResults


def _figure_png(draw):
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
    """The most frequent mistakes, each by its one name (example and quantity included)."""
    def draw(ax):
        top = list(mistakes.items())[:10]
        names = [textwrap.fill(CATALOGUE[k].title if k in CATALOGUE else k, 42)
                 for k, _ in top]
        counts = [len(v) for _, v in top]
        ax.barh(names[::-1], counts[::-1], color="#a31515")
        ax.set_xlabel("students")
        ax.set_title("Most frequent diagnosed mistakes")
    return _figure_png(draw)
