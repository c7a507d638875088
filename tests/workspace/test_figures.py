"""Figures inlined in Markdown: held out as tokens, put back, their words translated."""

import base64

import pytest

from autograder.workspace.figures import (
    FigureError,
    join_figures,
    labels_of,
    split_figures,
    translate_labels,
)

SVG = ('<svg xmlns="http://www.w3.org/2000/svg"><text x="1">x₁</text>'
       '<text x="2">hidden units</text><text>a &amp; b</text><text>hidden units</text></svg>')


def _markdown(svg=SVG):
    return f"See ![net](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}) here."


def test_a_figure_becomes_a_token_and_comes_back_unchanged():
    text, figures = split_figures(_markdown())
    assert text == "See ![net]([[figure 1]]) here." and figures == [SVG]
    assert join_figures(text, figures) == _markdown()


def test_labels_with_words_are_translated_formulas_are_not():
    assert labels_of(SVG) == ["hidden units"]  # "x₁" and "a & b" are not words
    out = translate_labels(SVG, {"hidden units": "隐藏层 <1>"}.get)
    assert out.count(">隐藏层 &lt;1&gt;<") == 2 and ">x₁<" in out and ">a &amp; b<" in out


def test_a_translation_that_drops_the_token_is_refused():
    with pytest.raises(FigureError, match=r"\[\[figure 1\]\] exactly once"):
        join_figures("no figure here", [SVG])


def test_a_figure_that_is_not_base64_svg_is_refused():
    with pytest.raises(FigureError, match="figure 1 is not base64"):
        split_figures("![x](data:image/svg+xml;base64,AAAA=A)")
