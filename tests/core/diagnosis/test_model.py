"""The model of the computation: its formulas give the course's numbers, for any sizes,
and it broadcasts (and fails) the way NumPy does."""

import numpy as np
import pytest

from autograder.core import cases as case_gen
from autograder.core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
from autograder.core.diagnosis.model import (
    FORMULAS,
    Broadcast,
    Factor,
    Formula,
    Namespace,
    accumulate_shape,
    evaluate,
    network,
    step_values,
)


def test_the_formulas_give_the_articles_numbers():
    ns = step_values(network(**EX1_INPUTS))
    for name, value in EX1_KNOWN.items():
        np.testing.assert_allclose(ns[name], value, rtol=1e-12)


@pytest.mark.parametrize("sizes", [((1, 1),), ((4, 3), (2, 1), (5, 4)), ((7, 2),)])
def test_the_formulas_agree_with_the_reference_for_any_size(reference, sizes):
    for case in case_gen.network_cases(np.random.default_rng(len(sizes)), sizes):
        ns = step_values(network(**case.inputs))
        for name, value in zip(EX1_QUANTITIES, reference.backprop_step(**case.inputs)):
            np.testing.assert_allclose(ns[name], value, rtol=1e-12, atol=1e-15)


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
