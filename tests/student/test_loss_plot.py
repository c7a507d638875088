"""The notebook's loss plot: labelled in the notebook's language, every glyph drawn."""

import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from autograder import i18n, plot_fonts  # noqa: E402
from autograder.student import loss_plot  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
needs_cjk_font = pytest.mark.skipif(plot_fonts.cjk_family() is None,
                                    reason="no CJK font installed (Debian: fonts-noto-cjk)")


def labels(ax):
    return ax.get_xlabel(), ax.get_ylabel(), ax.get_title()


def drawn(lang):
    """The labels of a plot drawn for ``lang``, and the warnings drawing it raised."""
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [0.3, 0.2, 0.1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss_plot.label_loss_plot(ax, lang=lang)
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return labels(ax), [str(w.message) for w in caught]


def test_english_labels():
    texts, caught = drawn("en")
    assert texts == ("epoch", "training MSE (all records)", "Training loss")
    assert not caught


@needs_cjk_font
def test_chinese_labels_are_drawn_with_a_cjk_font():
    texts, caught = drawn("zh_CN")
    assert all(CJK.search(text) for text in texts), texts
    assert not [w for w in caught if "missing from" in w], caught


def test_without_a_cjk_font_the_labels_fall_back_to_english(monkeypatch):
    monkeypatch.setattr(plot_fonts, "cjk_family", lambda: None)
    texts, caught = drawn("zh_CN")
    assert texts == ("epoch", "training MSE (all records)", "Training loss")
    assert not caught


def test_the_language_is_the_notebooks_own_by_default(monkeypatch):
    monkeypatch.setattr("autograder.student.loss_plot.notebook_language", lambda: "zh_CN")
    fig, ax = plt.subplots()
    loss_plot.label_loss_plot(ax)
    plt.close(fig)
    assert labels(ax)[0] == (i18n.translations("zh_CN").gettext("epoch")
                             if plot_fonts.cjk_family() else "epoch")
