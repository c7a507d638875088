"""The class report's charts, drawn on bare matplotlib figures (no pyplot state).

Their labels are in the current language when its glyphs can be drawn here, in
English otherwise (:func:`autograder.plot_fonts.plot_language`), with
the fonts that language needs.
"""

import io

from .. import i18n, plot_fonts
from ..core.course import ITEMS, TOTAL_POINTS
from ..core.diagnose import title
from ..i18n import _
from ..workspace import columns
from .collect import ClassResults


def prepare(code=None) -> None:
    """Load what the charts need: matplotlib, its Agg backend and the fonts of the
    labels in ``code`` (default: the current language), so that the first chart
    does not wait for them. Safe in any thread; the charts work without it."""
    from matplotlib import font_manager
    from matplotlib.backends import backend_agg  # noqa: F401 - what savefig uses
    from matplotlib.figure import Figure  # noqa: F401

    code = plot_fonts.plot_language(code)
    for family in plot_fonts.font_rc(code)["font.family"]:
        font_manager.get_font(font_manager.findfont(family))


def _whole_numbers(axis) -> None:
    """Ticks at whole numbers only: a count of students has no quarters."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _figure_png(draw, seen=None):
    """The PNG of one chart; ``seen`` (a list) receives its axes, for inspection.

    ``draw`` labels the chart in the language it can be drawn in here, with its fonts."""
    import matplotlib
    from matplotlib.figure import Figure

    with i18n.language(plot_fonts.plot_language()), matplotlib.rc_context(plot_fonts.font_rc()):
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
        ax.set_xlabel((_("total score after late penalties (of {total:g})") if penalised
                       else _("total score (of {total:g})")).format(total=TOTAL_POINTS))
        ax.set_ylabel(_("students"))
        _whole_numbers(ax.yaxis)
        ax.set_title(_("Scores of the graded submissions ({n})").format(n=len(totals)))
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
        names = [item.label or item.grade_id for item in ITEMS]  # in the current language
        values = [100 * rates[item.grade_id] for item in ITEMS]
        ax.barh(names[::-1], values[::-1], color="#1b6e20")
        ax.set_xlim(0, 100)
        ax.set_xlabel(_("students with full marks (%)"))
        ax.set_title(_("Success rate of each item"))
    return _figure_png(draw, seen)


def mistakes_png(mistakes: dict, seen=None) -> bytes:
    """The most frequent mistakes, each by its one name (example and quantity included),
    looked up by its key in the language of the labels."""
    def draw(ax):
        top = list(mistakes.items())[:10]
        names = [columns.fill(title(key), 42) for key, _students in top]
        counts = [len(v) for _key, v in top]
        ax.barh(names[::-1], counts[::-1], color="#a31515")
        ax.set_xlabel(_("students"))
        _whole_numbers(ax.xaxis)
        ax.set_title(_("Most frequent diagnosed mistakes"))
    return _figure_png(draw, seen)
