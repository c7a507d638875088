"""Figures embedded in Markdown cells: held out of the catalogue's texts, labels translated.

A figure is an SVG image inlined as a ``data:`` URL (the notebook must travel as one
file). Its base64 text does not belong in a translator's catalogue, so
:func:`split_figures` replaces each one by a short token (``[[figure 1]]``) that the
translation must keep, and :func:`join_figures` puts the (translated) images back.

The words of a figure are its ``<text>`` elements. A label with a word of two or more
Latin letters ("hidden units", "w = weights_input_hidden (3×2)") is text and is
translated; one without ("x₁", "a₁ = f(h₁)", "ŷ = f(hₒ)") is a formula and stays as it
is, like the LaTeX of the Markdown around it.
"""

import base64
import binascii
import re
from html import escape, unescape

from ..i18n import _

FIGURE = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
TOKEN = "[[figure {n}]]"
TOKENS = re.compile(r"\[\[figure \d+\]\]")
_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")
_WORD = re.compile(r"[A-Za-z]{2,}")


class FigureError(ValueError):
    """An embedded figure that cannot be read."""


def split_figures(markdown):
    """``markdown`` with every inlined SVG replaced by its token, and the SVG sources."""
    figures = []

    def hold(match):
        try:
            figures.append(base64.b64decode(match.group(1), validate=True).decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise FigureError(_("figure {n} is not base64 UTF-8 SVG: {error}").format(
                n=len(figures) + 1, error=exc)) from exc
        return TOKEN.format(n=len(figures))

    return FIGURE.sub(hold, markdown), figures


def join_figures(text, figures):
    """Put the SVG sources ``figures`` back in place of their tokens in ``text``."""
    for n, svg in enumerate(figures, start=1):
        token = TOKEN.format(n=n)
        if text.count(token) != 1:
            raise FigureError(_("the text must hold {token} exactly once").format(token=token))
        encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        text = text.replace(token, f"data:image/svg+xml;base64,{encoded}")
    return text


def labels_of(svg):
    """The figure's translatable labels, in order, each once."""
    labels = []
    for match in _TEXT.finditer(svg):
        label = unescape(match.group(2))
        if _WORD.search(label) and label not in labels:
            labels.append(label)
    return labels


def translate_labels(svg, translate):
    """The SVG with each translatable label replaced by ``translate(label)``."""
    def swap(match):
        label = unescape(match.group(2))
        if not _WORD.search(label):
            return match.group(0)
        return match.group(1) + escape(translate(label), quote=False) + match.group(3)

    return _TEXT.sub(swap, svg)
