"""Diagnosis on synthetic values: named mistakes, error carried forward, training variants."""

import numpy as np
import pytest

from autograder.core import diagnose, oracle
from autograder.core.compare import ATOL, RTOL
from autograder.core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
from autograder.core.values import Unavailable

FORWARD = oracle.forward(**EX1_INPUTS)
TOL = {"rtol": RTOL, "atol": ATOL}
KNOWN = {name: np.asarray(value, dtype=float) for name, value in EX1_KNOWN.items()}


def with_(**changes):
    got = dict(KNOWN)
    got.update(changes)
    return got


def test_a_right_value_is_never_diagnosed():
    for name in EX1_QUANTITIES:
        assert diagnose.ex1_mistake(name, with_(), KNOWN, FORWARD, TOL) is None


@pytest.mark.parametrize("quantity, value, mistake", [
    ("hidden_error", KNOWN["hidden_error"] * KNOWN["error"] / KNOWN["output_error_term"],
     "hidden_error_from_error"),
    ("delta_w_h_o", KNOWN["delta_w_h_o"] * FORWARD["hidden_input"] / FORWARD["hidden_activation"],
     "delta_uses_hidden_input"),
    ("delta_w_i_h", KNOWN["delta_w_i_h"].T, "transposed_delta"),
    ("delta_w_i_h", KNOWN["hidden_error_term"] * 0.05, "x_not_column"),
    ("hidden_error_term", KNOWN["hidden_error"] * oracle.sigmoid_slope(FORWARD["hidden_activation"]),
     "derivative_of_activation"),
])
def test_each_signature_names_its_mistake(quantity, value, mistake):
    found = diagnose.ex1_mistake(quantity, with_(**{quantity: value}), KNOWN, FORWARD, TOL)
    assert found is diagnose.CATALOGUE[mistake]


def test_an_unexplained_wrong_value_is_not_named():
    found = diagnose.ex1_mistake("hidden_error", with_(hidden_error=KNOWN["hidden_error"] * 3.1),
                                 KNOWN, FORWARD, TOL)
    assert found is None


def test_a_broadcasting_error_names_the_missing_column():
    got = with_(delta_w_i_h=Unavailable("could not be computed: operands could not be broadcast"))
    assert diagnose.ex1_mistake("delta_w_i_h", got, KNOWN, FORWARD, TOL).name == "x_not_column"


def test_carried_forward_scales_each_quantity_by_its_upstream():
    got = with_(error=KNOWN["error"] * 2, hidden_error_term=KNOWN["hidden_error_term"] * [3, -1])
    assert np.allclose(diagnose.carried_forward("output_error_term", got, KNOWN),
                       KNOWN["output_error_term"] * 2)
    assert np.allclose(diagnose.carried_forward("delta_w_i_h", got, KNOWN),
                       KNOWN["delta_w_i_h"] * [3, -1])
    assert diagnose.carried_forward("error", got, KNOWN) is None  # nothing upstream
    assert diagnose.carried_forward("hidden_error", with_(output_error_term="x"), KNOWN) is None


def test_training_results_are_matched_against_the_variants():
    variants = {"no_learnrate": (np.ones(2), np.zeros(3)), "no_averaging": (np.ones(2) * 2,
                                                                              np.zeros(3))}
    tol = {"rtol": 1e-6, "atol": 1e-9}
    assert diagnose.training_mistake((np.ones(2) * 2, np.zeros(3)), variants, tol).name == \
        "no_averaging"
    assert diagnose.training_mistake((np.ones(2) * 5, np.zeros(3)), variants, tol) is None
    assert diagnose.training_mistake(Unavailable("raised"), variants, tol) is None
    named = {"derivative_of_activation/hidden": variants["no_learnrate"]}
    assert diagnose.training_mistake((np.ones(2), np.zeros(3)), named, tol).name == \
        "derivative_of_activation"


def test_every_catalogued_mistake_has_a_title_and_a_hint():
    for name, mistake in diagnose.CATALOGUE.items():
        assert mistake.name == name and mistake.title and mistake.hint
