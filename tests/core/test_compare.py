"""The numeric comparison helper and the structured results."""

import numpy as np
import pytest

from autograder.core import compare as cmp
from autograder.core.results import ItemResult


def test_match_within_tolerance():
    assert cmp.compare(1.0 + 1e-9, 1.0).ok
    assert not cmp.compare(1.0 + 1e-5, 1.0).ok


def test_statuses_for_bad_input():
    assert cmp.compare(None, 1.0).status == cmp.MISSING
    assert cmp.compare("0.5", 1.0).status == cmp.NOT_NUMERIC
    assert cmp.compare([[1, 2], [3]], [1.0, 2.0]).status == cmp.NOT_NUMERIC
    assert cmp.compare([np.nan, 1.0], [1.0, 1.0]).status == cmp.NOT_FINITE
    assert cmp.compare(np.zeros(3), np.zeros(2)).status == cmp.SHAPE


def test_transposed_is_named():
    expected = np.arange(6.0).reshape(3, 2)
    outcome = cmp.compare(expected.T, expected)
    assert outcome.status == cmp.TRANSPOSED
    assert "transposed" in outcome.detail and "2×3" in outcome.detail and "3×2" in outcome.detail


def test_scalar_and_size_one_array_are_the_same_answer():
    assert cmp.compare(np.array([0.25]), 0.25).ok
    assert cmp.compare(np.float64(0.25), np.array(0.25)).ok


def test_a_5_6_percent_error_fails_the_tight_tolerance():
    assert not cmp.compare(0.028730669543515015 * 1.056, 0.028730669543515015).ok
    assert cmp.RTOL <= 1e-6


@pytest.mark.parametrize("score", [np.float64(1.5), np.float32(1.5), 1.5, np.int64(1)])
def test_scores_are_builtin_floats(score):
    result = ItemResult("x", score, np.float64(2.0), "partial", "m")
    assert type(result.score) is float and type(result.max_score) is float
    assert "np." not in repr(result.score)


def test_scores_are_clamped_to_the_item():
    assert ItemResult("x", 5, 2, "correct", "m").score == 2.0
    assert ItemResult("x", -1, 2, "incorrect", "m").score == 0.0
