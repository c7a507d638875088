"""The loss plot draws whatever curve a submission returned, or leaves it out."""

import base64

import numpy as np
import pytest

from autograder.pipeline.render import loss_curve_png

REFERENCE = np.linspace(0.27, 0.254, 900)


@pytest.mark.parametrize("student", [
    REFERENCE * 1.01,
    np.array([1e308, -1e308] * 450),
    np.array([np.nan] * 900),
    np.array([1e300] * 900),
], ids=["plausible", "plus-minus-1e308", "nan", "huge"])
def test_the_plot_is_drawn_for_any_curve(student):
    png = loss_curve_png(student, REFERENCE)
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"
