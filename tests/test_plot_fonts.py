"""Fonts for the plots: a CJK font after the Latin one where Chinese is drawn."""

import pytest

from autograder import plot_fonts


def test_latin_text_needs_no_cjk_font():
    assert plot_fonts.font_rc("en")["font.family"] == [plot_fonts.LATIN]
    assert plot_fonts.plot_language("en") == "en"


@pytest.mark.skipif(plot_fonts.cjk_family() is None, reason="no CJK font installed")
def test_chinese_is_drawn_with_the_installed_cjk_font():
    rc = plot_fonts.font_rc("zh_CN")
    assert rc["font.family"] == [plot_fonts.LATIN, plot_fonts.cjk_family()]
    assert plot_fonts.cjk_family() in plot_fonts.CJK
    assert plot_fonts.plot_language("zh_CN") == "zh_CN"


def test_without_a_cjk_font_chinese_plots_fall_back_to_english(monkeypatch):
    monkeypatch.setattr(plot_fonts, "cjk_family", lambda: None)
    assert plot_fonts.plot_language("zh_CN") == "en"
    assert plot_fonts.font_rc("zh_CN")["font.family"] == [plot_fonts.LATIN]
