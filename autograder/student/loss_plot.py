"""The words of the notebook's loss plot, in the notebook's language.

The plot cell draws the curve with the student's own matplotlib and calls
:func:`label_loss_plot` for its labels, so both editions of the notebook share
one code cell and each plot speaks its notebook's language. Chinese labels are
drawn with a CJK font when one is installed (Debian's ``fonts-noto-cjk``);
without one they are drawn in English, never as empty boxes.
"""

from .. import i18n, plot_fonts
from ..i18n import _
from .notebook_language import notebook_language


def label_loss_plot(ax, lang=None):
    """Label the loss curve drawn on the matplotlib Axes ``ax``; ``ax``.

    ``lang`` is the notebook's language unless given."""
    if lang is None:
        lang = notebook_language()
    lang = plot_fonts.plot_language(lang)
    families = plot_fonts.font_rc(lang)["font.family"]
    with i18n.language(lang):
        ax.set_xlabel(_("epoch"), fontfamily=families)
        ax.set_ylabel(_("training MSE (all records)"), fontfamily=families)
        ax.set_title(_("Training loss"), fontfamily=families)
    return ax
