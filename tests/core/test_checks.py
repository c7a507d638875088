"""Checks, diagnosis and error carried forward, without any kernel."""

import numpy as np
import pytest

from autograder.core import cases as case_gen
from autograder.core import checks, diagnose, oracle
from autograder.core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
from autograder.core.values import Unavailable

FORWARD = oracle.forward(**EX1_INPUTS)


def _got(**changes):
    got = {name: np.array(value, dtype=float) for name, value in EX1_KNOWN.items()}
    got.update(changes)
    return got


def test_correct_values_pass_without_diagnosis():
    for name in EX1_QUANTITIES:
        result = checks.ex1_in_context(name, _got(), EX1_KNOWN, FORWARD)
        assert result.status == "correct" and result.diagnosis == ""


def test_placeholder_is_not_attempted():
    result = checks.ex1_in_context("error", _got(error=None), EX1_KNOWN, FORWARD)
    assert result.status == "not attempted" and result.score == 0
    assert "Not attempted" in result.message


def test_transposed_delta_gets_a_shape_message_and_a_diagnosis():
    got = _got(delta_w_i_h=EX1_KNOWN["delta_w_i_h"].T)
    result = checks.ex1_in_context("delta_w_i_h", got, EX1_KNOWN, FORWARD)
    assert result.score == 0
    assert "transposed" in result.message
    assert result.diagnosis == "ex1.delta_w_i_h.transpose"


@pytest.mark.parametrize("quantity,value,mistake", [
    ("delta_w_h_o", EX1_KNOWN["delta_w_h_o"] * 2, "ex1.delta_w_h_o.drop:eta"),
    ("delta_w_i_h", EX1_KNOWN["delta_w_i_h"] * 2, "ex1.delta_w_i_h.drop:eta"),
    ("output_error_term", EX1_KNOWN["error"], "ex1.output_error_term.drop:fp_ho"),
    ("hidden_error_term", EX1_KNOWN["hidden_error"], "ex1.hidden_error_term.drop:fp_h"),
    ("error", -EX1_KNOWN["error"], "ex1.error.sign"),
])
def test_slips_are_named_with_the_hint_of_their_edit(quantity, value, mistake):
    result = checks.ex1_in_context(quantity, _got(**{quantity: value}), EX1_KNOWN, FORWARD,
                                   carry_forward=False)
    assert result.diagnosis == mistake
    assert result.hint == diagnose.CATALOGUE[mistake].hint


def test_derivative_of_the_activation_is_only_5_6_percent_off_and_still_caught():
    wrong = EX1_KNOWN["error"] * oracle.sigmoid_slope(FORWARD["output"])
    assert abs(wrong / EX1_KNOWN["output_error_term"] - 1) < 0.06
    result = checks.ex1_in_context("output_error_term", _got(output_error_term=wrong),
                                   EX1_KNOWN, FORWARD)
    assert result.score == 0
    assert result.diagnosis == "ex1.output_error_term.swap:fp_ho>fp_yhat"


def _tripled(**inputs):
    """`error` three times too big, every later step computed correctly from it."""
    return tuple(np.asarray(v) * 3 for v in oracle_step(**inputs))


def oracle_step(**inputs):
    from autograder.core.diagnosis.evaluation import network, step_values

    ns = step_values(network(**inputs))
    return tuple(ns[q] for q in EX1_QUANTITIES)


def test_error_carried_forward_and_its_switch():
    got = dict(zip(EX1_QUANTITIES, _tripled(**EX1_INPUTS)))
    cases = case_gen.network_cases(np.random.default_rng(4))
    evidence = diagnose.StepEvidence.article(got, [(c.inputs, _tripled(**c.inputs)) for c in cases])
    results = {name: checks.ex1_in_context(name, got, EX1_KNOWN, FORWARD, evidence=evidence)
               for name in EX1_QUANTITIES}
    assert results["error"].score == 0
    for name in EX1_QUANTITIES[1:]:
        assert results[name].status == "carried forward", name
        assert results[name].passed
    off = checks.ex1_in_context("hidden_error", got, EX1_KNOWN, FORWARD, carry_forward=False,
                                evidence=evidence)
    assert off.score == 0 and off.diagnosis == ""
    assert "follows from your `output_error_term`" in off.hint
    # the article's network alone is not enough for method marks
    alone = checks.ex1_in_context("hidden_error", got, EX1_KNOWN, FORWARD)
    assert alone.score == 0


def test_no_method_marks_when_the_step_itself_is_wrong():
    got = _got(error=EX1_KNOWN["error"] * 3, output_error_term=EX1_KNOWN["error"] * 3)
    result = checks.ex1_in_context("output_error_term", got, EX1_KNOWN, FORWARD)
    assert result.score == 0 and result.diagnosis == "ex1.output_error_term.drop:fp_ho"


def test_unavailable_values_explain_themselves():
    got = _got(delta_w_i_h=Unavailable("could not be computed: `backprop_step` raised "
                                       "ValueError: operands could not be broadcast together "
                                       "with shapes (2,) (3,) "))
    result = checks.ex1_in_context("delta_w_i_h", got, EX1_KNOWN, FORWARD)
    assert result.status == "error" and "raised ValueError" in result.message
    # one network that raises is not enough to name the slip: the hint is the check's own
    assert result.diagnosis == "" and result.hint == ""


def test_loss_check_gives_half_for_a_decreasing_curve():
    expected = np.linspace(0.3, 0.25, 10)
    assert checks.ex2_loss(expected, expected).score == 2
    assert checks.ex2_loss(expected * 0.9, expected).score == 1
    rising = expected[::-1]
    assert checks.ex2_loss(rising, expected).score == 0
    assert checks.ex2_loss(np.full(10, np.nan), expected).score == 0


def test_a_loss_curve_of_the_wrong_length_is_counted_in_values():
    expected = np.linspace(0.3, 0.25, 10)
    short = checks.ex2_loss(expected[:9], expected)
    assert short.score == 0 and short.message.endswith("(10 values), got 9 values.")
    square = checks.ex2_loss(np.ones((2, 5)), expected)
    assert "got an array of shape" in square.message


def test_a_first_epoch_that_never_ran_is_not_called_untouched_when_training_moves():
    start = (np.zeros((6, 2)), np.zeros(2))
    want = (np.ones((6, 2)), np.ones(2))
    untouched = checks.ex2_weights("ex2_first_epoch", "", start, want, start)
    assert untouched.status == "not attempted"
    skipped = checks.ex2_weights("ex2_first_epoch", "", start, want, start,
                                 trained_elsewhere=True)
    assert skipped.score == 0 and skipped.status == "incorrect"
    assert "Not attempted" not in skipped.message and "`epochs`" in skipped.hint


def test_accuracy_threshold():
    assert checks.ex2_accuracy(0.725).score == 2
    assert checks.ex2_accuracy(0.70).score == 2
    assert checks.ex2_accuracy(0.675).score == 0
