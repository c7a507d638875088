"""Evaluating formulas as NumPy does: batch axes, broadcasting, and the errors it raises."""

import numpy as np
import pytest

from autograder.core import cases as case_gen
from autograder.core.course import EX1_INPUTS, EX1_QUANTITIES
from autograder.core.diagnosis.evaluation import (
    Broadcast,
    Namespace,
    TooLarge,
    accumulate_shape,
    evaluate,
    network,
    raised_shapes,
    step_values,
)
from autograder.core.diagnosis.model import FORMULAS, Factor, Formula


def test_batch_axes_give_each_record_its_own_value():
    """What the training simulation relies on: one evaluation over stacked records
    equals the evaluation of each record alone."""
    rng = np.random.default_rng(0)
    inputs = [case.inputs for case in case_gen.network_cases(rng, [(3, 2)] * 5)]
    alone = [step_values(network(**i)) for i in inputs]
    stacked = Namespace({k: np.stack([ns[k] for ns in alone])
                         for k in ("x", "y", "eta", "W2", "h", "a", "h_o", "y_hat")}, batch=1)
    for name in EX1_QUANTITIES:
        stacked[name] = evaluate(FORMULAS[name], stacked)
        np.testing.assert_allclose(stacked[name], [ns[name] for ns in alone], rtol=1e-14)


def test_a_product_that_numpy_cannot_broadcast_raises_with_numpys_shapes():
    ns = network(**EX1_INPUTS)
    step_values(ns)
    no_column = Formula("delta_w_i_h", (Factor("eta"), Factor("hidden_error_term"), Factor("x")))
    with pytest.raises(Broadcast) as raised:
        evaluate(no_column, ns)
    with pytest.raises(ValueError, match=r"shapes \(2,\) \(3,\)"):
        ns["eta"] * ns["hidden_error_term"] * ns["x"]
    assert raised.value.alternatives == {((2,), (3,))}


def test_an_accumulation_into_the_wrong_shape_raises_like_an_in_place_add():
    accumulate_shape((6, 2), (6, 2))
    accumulate_shape((6, 2), (2,))  # broadcasts into the accumulator
    with pytest.raises(Broadcast) as raised:
        accumulate_shape((2,), (6,))
    target = np.zeros(2)
    with pytest.raises(ValueError, match=r"\(2,\) \(6,\) \(2,\)"):
        target += np.zeros(6)
    assert ((2,), (2,), (6,)) in raised.value.alternatives  # `acc += step`
    assert ((2,), (6,)) in raised.value.alternatives         # `acc = acc + step`


def test_derived_ingredients_are_computed_once_asked_for():
    ns = network(**EX1_INPUTS)
    assert "fp_a" not in ns
    a = ns["a"]
    np.testing.assert_allclose(ns["fp_a"], 1 / (1 + np.exp(-a)) * (1 - 1 / (1 + np.exp(-a))))
    with pytest.raises(KeyError):
        ns["no such ingredient"]


def test_a_child_recomputes_what_depends_on_replaced_values():
    ns = step_values(network(**EX1_INPUTS))
    before = ns["W2_new"]
    child = ns.child(delta_w_h_o=ns["delta_w_h_o"] * 2)
    np.testing.assert_allclose(child["W2_new"] - ns["W2"], 2 * (before - ns["W2"]))


def test_a_value_far_larger_than_any_honest_one_is_refused():
    ns = Namespace({"a": np.ones((3000, 1)), "b": np.ones(3000)})
    with pytest.raises(TooLarge):
        evaluate(Formula("q", (Factor("a"), Factor("b"))), ns)


def test_numpys_messages_give_their_shapes():
    assert raised_shapes("operands could not be broadcast together with shapes (2,) (3,) ") == \
        ((2,), (3,))
    assert raised_shapes("non-broadcastable output operand with shape (2,) doesn't match the "
                         "broadcast shape (6,2)") == ((2,), (6, 2))
    assert raised_shapes("name 'x' is not defined") is None
