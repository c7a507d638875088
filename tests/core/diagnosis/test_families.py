"""Families of edits, and the record a diagnosis hands to the checks."""

import numpy as np

from autograder.core.diagnosis.families import Family, Mistake, group, same_outcome
from autograder.core.diagnosis.evaluation import Broadcast
from autograder.core.diagnosis.step import families


def test_outcomes_are_equal_when_values_or_errors_are():
    assert same_outcome(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-13]))
    assert not same_outcome(np.array([1.0, 2.0]), np.array([1.0, 2.1]))
    assert not same_outcome(np.ones(2), np.ones((2, 1)))
    assert same_outcome(Broadcast(((2,), (3,))), Broadcast(((3,), (2,))))
    assert not same_outcome(Broadcast(((2,), (3,))), np.ones(2))


def test_grouping_keeps_the_first_member_first_and_drops_what_is_no_slip():
    outcomes = [[np.ones(2)], [np.zeros(2)], [np.ones(2)], [np.full(2, 5.0)]]
    assert group("abcd", outcomes, correct=[np.full(2, 5.0)]) == [("a", "c"), ("b",)]


def test_a_family_is_named_with_its_example_and_quantity():
    family = next(f for f in families("delta_w_h_o") if f.members[0].change == "drop:eta")
    assert isinstance(family, Family) and family.key == "ex1.delta_w_h_o.drop:eta"
    mistake = family.mistake
    assert mistake.title == "Example 1, hidden-to-output step ΔW: η left out"
    assert "`delta_w_h_o` leaves out the learning rate, η" in mistake.hint
    assert Mistake.unexplained("why").name == ""
