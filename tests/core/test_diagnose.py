"""What the checks ask of the mistake finder: its catalogue, names, method marks."""

import numpy as np

from autograder.core import cases as case_gen
from autograder.core import diagnose
from autograder.core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
from autograder.core.diagnosis.evaluation import network, step_values
from autograder.core.values import Unavailable

KNOWN = {name: np.asarray(value, dtype=float) for name, value in EX1_KNOWN.items()}


def step_of(**inputs):
    ns = step_values(network(**inputs))
    return tuple(ns[q] for q in EX1_QUANTITIES)


def evidence(got, function=step_of):
    cases = case_gen.network_cases(np.random.default_rng(2))
    return diagnose.StepEvidence.article(got, [(c.inputs, function(**c.inputs)) for c in cases])


def test_the_catalogue_holds_every_family_of_both_examples_by_key():
    assert len(diagnose.CATALOGUE) > 100
    assert {"ex1.error.sign", "ex1.delta_w_i_h.no_column", "ex2.updates.drop:inv_n",
            "ex2.error.sign", "ex2.loop.update_every_record", "ex2.loss.half"} <= \
        set(diagnose.CATALOGUE)
    assert diagnose.CATALOGUE.get("not a mistake") is None


def test_title_is_the_one_name_and_falls_back_to_the_key():
    assert diagnose.title("ex2.updates.drop:inv_n") == \
        "Example 2, both weight updates: 1/n_records left out"
    assert diagnose.title("sign_error") == "sign_error"


def test_a_right_value_is_never_diagnosed():
    found = evidence(dict(KNOWN))
    assert diagnose.ex1_function_mistake(found) is None


def test_carried_forward_asks_the_evidence_of_every_network():
    def flipped(**inputs):
        return tuple(-np.asarray(v) for v in step_of(**inputs))
    got = dict(zip(EX1_QUANTITIES, flipped(**EX1_INPUTS)))
    assert diagnose.carried_forward("output_error_term", evidence(got, flipped))
    assert not diagnose.carried_forward("output_error_term", diagnose.StepEvidence.article(got))
    assert not diagnose.carried_forward("error", evidence(got, flipped))   # nothing upstream
    assert diagnose.ex1_mistake("error", evidence(got, flipped)).name == "ex1.error.sign"


def test_an_unavailable_call_is_no_evidence_against_a_slip():
    got = dict(KNOWN, delta_w_h_o=KNOWN["delta_w_h_o"] * 2)
    found = diagnose.StepEvidence.article(got, [(EX1_INPUTS, Unavailable("raised KeyError"))])
    assert diagnose.ex1_mistake("delta_w_h_o", found).name == "ex1.delta_w_h_o.drop:eta"


def test_the_fingerprint_follows_the_finders_code():
    assert len(diagnose.fingerprint()) == 64
    assert diagnose.fingerprint() == diagnose.fingerprint()
