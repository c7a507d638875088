"""Example 1's finder: slips named on every network, method marks, nothing guessed."""

import numpy as np
import pytest

from autograder.core import cases as case_gen
from autograder.core.course import EX1_INPUTS, EX1_QUANTITIES
from autograder.core.diagnosis import step
from autograder.core.diagnosis.evaluation import (
    network,
    raised_shapes,
    step_values,
    unavailable_shapes,
)
from autograder.core.diagnosis.model import slope
from autograder.core.values import Unavailable

NETWORKS = [EX1_INPUTS] + [c.inputs for c in case_gen.network_cases(np.random.default_rng(7))]


def values(inputs, **slips):
    """The six quantities with ``slips`` ({quantity: function of the namespace}), each
    later quantity computed from the earlier ones as the student's code would. Where the
    code would raise, the quantity and those after it are unavailable with NumPy's message."""
    ns = step.expected_namespace(inputs)
    out = {}
    for q in EX1_QUANTITIES:
        try:
            value = slips[q](ns) if q in slips else step.evaluate(step.FORMULAS[q], ns)
        except step.Broadcast as exc:
            shapes = " ".join(str(s).replace(" ", "") for s in min(exc.alternatives))
            reason = Unavailable("could not be computed: `backprop_step` raised ValueError: "
                                 f"operands could not be broadcast together with shapes {shapes}")
            out.update({later: reason for later in EX1_QUANTITIES[EX1_QUANTITIES.index(q):]})
            return out
        ns = ns.child(**{q: value})
        out[q] = np.asarray(value, dtype=float)
    return out


def evidence(**slips):
    networks = []
    for index, inputs in enumerate(NETWORKS):
        got = values(inputs, **slips)
        failed = [v for v in got.values() if isinstance(v, Unavailable)]
        # on the other networks a call that raises hands over nothing but its error
        networks.append((inputs, failed[0] if failed and index else got))
    return step.StepEvidence(networks)


def test_a_correct_step_has_nothing_to_explain():
    found = evidence()
    assert not any(found.wrong_somewhere(q) for q in EX1_QUANTITIES)
    assert found.function_mistake() is None


@pytest.mark.parametrize("quantity", EX1_QUANTITIES)
def test_every_edit_is_named_by_its_own_family(quantity):
    for family in step.families(quantity):
        for edit in family.members:
            def slip(ns, formula=edit.formulas[0]):
                return step.evaluate(formula, ns)
            mistake = evidence(**{quantity: slip}).mistake(quantity)
            assert mistake is not None and mistake.name == family.key, edit.key


def test_slips_in_two_quantities_are_each_named_from_their_own_upstream():
    found = evidence(error=lambda ns: -(ns["y"] - ns["y_hat"]),
                     output_error_term=lambda ns: ns["error"] * slope(ns["y_hat"]))
    assert found.mistake("error").name == "ex1.error.sign"
    assert found.mistake("output_error_term").name == "ex1.output_error_term.swap:fp_ho>fp_yhat"
    # everything after follows from the student's own values
    assert all(found.carried_forward(q) for q in EX1_QUANTITIES[2:])


def test_method_marks_need_a_relation_on_more_than_one_network():
    wrong = values(EX1_INPUTS, error=lambda ns: 3 * (ns["y"] - ns["y_hat"]))
    alone = step.StepEvidence([(EX1_INPUTS, wrong)])
    assert not alone.carried_forward("output_error_term")
    # the same values everywhere but on the article's network: no relation elsewhere
    others = [(i, values(EX1_INPUTS, error=lambda ns: 3 * (ns["y"] - ns["y_hat"])))
              for i in NETWORKS[1:]]
    assert not step.StepEvidence([(EX1_INPUTS, wrong)] + others).carried_forward("hidden_error")
    everywhere = evidence(error=lambda ns: 3 * (ns["y"] - ns["y_hat"]))
    assert all(everywhere.carried_forward(q) for q in EX1_QUANTITIES[1:])


def test_method_marks_need_an_upstream_value_that_is_not_degenerate():
    zeros = evidence(error=lambda ns: 0.0 * ns["y"])
    assert not any(zeros.carried_forward(q) for q in EX1_QUANTITIES[1:])
    hint = zeros.mistake("output_error_term").hint
    assert "follows from your `error`" in hint and "zero" in hint
    tiny = evidence(error=lambda ns: 1e-300 * (ns["y"] - ns["y_hat"]))
    assert not tiny.carried_forward("output_error_term")
    half_zero = evidence(hidden_error=lambda ns: ns["output_error_term"] * ns["W2"] * [1, 0, 1, 1][
        :ns["W2"].size])
    assert not half_zero.carried_forward("hidden_error_term")


def test_an_upstream_value_of_the_wrong_shape_is_called_wrong_not_zero():
    """`hidden_error` times the input weights (a matrix in place of a vector): what
    follows from it is not blamed on a value that is zero or not finite."""
    found = evidence(hidden_error=lambda ns: ns["output_error_term"] * ns["W1"])
    hint = found.mistake("hidden_error_term").hint
    assert "follows from your `hidden_error`" in hint and "correct `hidden_error` first" in hint
    assert "zero" not in hint
    assert not found.carried_forward("hidden_error_term")


def test_nothing_fits_is_said_plainly_with_the_ratio_and_the_formula():
    found = evidence(hidden_error=lambda ns: 3.1 * ns["output_error_term"] * ns["W2"])
    mistake = found.mistake("hidden_error")
    assert mistake.name == ""
    assert mistake.hint.startswith("On the article's network your `hidden_error` is 3.1 "
                                   "times the expected value. No common mistake gives this "
                                   "value")
    assert "the hidden error of unit j is Wⱼ δᵒ" in mistake.hint
    noise = evidence(hidden_error=lambda ns: ns["output_error_term"] * ns["W2"]
                     + 1e-3 * np.arange(1, ns["W2"].size + 1))
    assert "No common mistake gives this value" in noise.mistake("hidden_error").hint


def test_a_slip_is_not_named_when_two_families_fit():
    """On the article's network alone η = 0.5, so "η left out" doubles the step, exactly
    what a doubled δᵒ would do there too; one network cannot tell them apart when a
    second family fits, and then nothing is named."""
    article = values(EX1_INPUTS, delta_w_h_o=lambda ns: ns["output_error_term"] * ns["a"])
    alone = step.StepEvidence([(EX1_INPUTS, article)])
    assert alone.mistake("delta_w_h_o").name == "ex1.delta_w_h_o.drop:eta"
    both = dict(article)
    # a value that two edits give on this network: η twice with η = 1
    inputs = dict(EX1_INPUTS, learnrate=1.0)
    ns = step_values(network(**inputs))
    both.update(values(inputs), delta_w_h_o=ns["delta_w_h_o"] * 2)
    assert step.StepEvidence([(inputs, both)]).mistake("delta_w_h_o").name == ""


def test_a_broadcasting_error_is_matched_by_the_shapes_numpy_names():
    def no_column(ns):
        return ns["eta"] * ns["hidden_error_term"] * ns["x"]   # raises unless sizes allow
    networks = []
    for inputs in NETWORKS:
        try:
            networks.append((inputs, values(inputs, delta_w_i_h=no_column)))
        except ValueError as exc:
            got = values(inputs)
            got["delta_w_i_h"] = Unavailable(f"could not be computed: raised ValueError: {exc}")
            networks.append((inputs, got))
    found = step.StepEvidence(networks)
    assert found.mistake("delta_w_i_h").name == "ex1.delta_w_i_h.no_column"
    assert found.function_mistake().name == "ex1.delta_w_i_h.no_column"
    assert raised_shapes("operands could not be broadcast together with shapes (2,) (3,) ") \
        == ((2,), (3,))
    assert raised_shapes("name 'x' is not defined") is None
    # where the message is not shown (the grader's hidden inputs) its shapes come aside
    hidden = [(inputs, dict(got, delta_w_i_h=Unavailable(
        "could not be computed: raised ValueError: operands could not be broadcast together",
        shapes=unavailable_shapes(got["delta_w_i_h"])))) if isinstance(
            got["delta_w_i_h"], Unavailable) else (inputs, got) for inputs, got in networks]
    assert step.StepEvidence(hidden).mistake("delta_w_i_h").name == "ex1.delta_w_i_h.no_column"


def test_numbers_typed_in_from_the_article_are_found_on_the_other_networks():
    article = step.article_values()
    typed = evidence(delta_w_h_o=lambda ns: 0.5 * ns["output_error_term"] * ns["a"])
    assert not typed.wrong_somewhere("error")
    assert typed.function_mistake().name == "ex1.delta_w_h_o.swap:eta>const_eta"
    constant = step.StepEvidence([(i, dict(values(i), error=np.asarray(article["error"])))
                                  for i in NETWORKS])
    assert constant.function_mistake().name == "ex1.error.article"


def test_a_value_that_could_not_be_computed_gets_no_guess():
    got = values(EX1_INPUTS)
    got["hidden_error"] = Unavailable("is not defined")
    assert step.StepEvidence([(EX1_INPUTS, got)]).mistake("hidden_error") is None


def test_student_values_of_odd_shapes_cannot_blow_up_the_grader():
    """Two payload-sized values (10,000 numbers each) whose product would hold 10⁸."""
    got = values(EX1_INPUTS)
    got["output_error_term"] = np.ones((10_000, 1))
    got["delta_w_h_o"] = np.ones(10_000)
    got["hidden_error"] = np.ones(3)
    found = step.StepEvidence([(EX1_INPUTS, got)] + [(i, values(i)) for i in NETWORKS[1:]])
    assert found.mistake("hidden_error").name == ""
    assert not found.carried_forward("hidden_error")


def test_the_other_networks_say_plainly_what_the_article_says():
    """Wrong everywhere and unexplained: the same plain words on both items; right on the
    article's network and wrong elsewhere, unexplained: nothing, the check's hint fits."""
    everywhere = evidence(hidden_error=lambda ns: 3.1 * ns["output_error_term"] * ns["W2"])
    assert everywhere.function_mistake() == everywhere.mistake("hidden_error")
    assert everywhere.function_mistake().hint.startswith(
        "On the article's network your `hidden_error` is 3.1 times")
    elsewhere = step.StepEvidence([(EX1_INPUTS, values(EX1_INPUTS))] + [
        (i, values(i, hidden_error=lambda ns: 3.1 * ns["output_error_term"] * ns["W2"]))
        for i in NETWORKS[1:]])
    assert elsewhere.function_mistake() is None
