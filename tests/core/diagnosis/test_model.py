"""The model of the computation: its formulas give the course's numbers, for any sizes."""

import numpy as np
import pytest

from autograder.core import cases as case_gen
from autograder.core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
from autograder.core.diagnosis.evaluation import network, step_values
from autograder.core.diagnosis.model import FORMULAS, INGREDIENTS


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


def test_every_neighbour_and_factor_is_an_ingredient_of_the_model():
    for ingredient in INGREDIENTS.values():
        assert set(ingredient.neighbours) <= set(INGREDIENTS), ingredient.name
    for formula in FORMULAS.values():
        assert all(f.name in INGREDIENTS for f in formula.factors), formula.quantity
