"""What a slip is: the single edits of each formula."""

from collections import Counter

from autograder.core.diagnosis.edits import (
    EX1_AVAILABLE,
    single_edits,
    step_edits,
    training_edits,
)
from autograder.core.diagnosis.model import FORMULAS, STEP


def test_every_edit_changes_its_formula_and_has_its_own_key():
    for formula in STEP:
        edits = step_edits(formula.quantity)
        assert all(e.quantity == formula.quantity for e in edits)
        assert len({e.key for e in edits}) == len(edits)
        assert all(e.formulas[0] != formula for e in edits)
    keys = Counter(e.key for e in training_edits())
    assert max(keys.values()) == 1


def test_the_kinds_of_edit_of_a_step():
    kinds = {e.change for e in step_edits("delta_w_i_h")}
    assert {"sign", "drop:eta", "drop:hidden_error_term", "drop:x", "insert:eta", "no_column",
            "transpose", "swap:hidden_error_term>hidden_error", "swap:x>a", "swap:eta>const_eta",
            "article"} == kinds


def test_the_catalogues_mistakes_are_edits_of_the_model():
    """The slips the course used to list by hand are all single edits."""
    ex1 = {e.key for q in FORMULAS if q in {f.quantity for f in STEP} for e in step_edits(q)}
    assert {"error.sign", "delta_w_h_o.drop:eta", "delta_w_i_h.drop:eta",
            "output_error_term.drop:fp_ho", "output_error_term.swap:fp_ho>fp_yhat",
            "hidden_error.swap:output_error_term>error", "hidden_error_term.drop:fp_h",
            "hidden_error_term.swap:fp_h>fp_a", "delta_w_h_o.swap:a>h", "delta_w_i_h.no_column",
            "delta_w_i_h.transpose"} <= ex1
    ex2 = {e.key for e in training_edits()}
    assert {"updates.drop:eta", "updates.drop:inv_n", "updates.sign", "steps.insert:eta",
            "hidden_error_term.drop:fp_h", "output_error_term.drop:fp_ho",
            "output_error_term.swap:fp_ho>fp_yhat"} <= ex2


def test_an_edit_uses_only_what_its_example_offers():
    for edit in training_edits():
        names = {f.name for formula in edit.formulas for f in formula.factors}
        assert not names & {"W2_new", "const_eta", "residual_const"}, edit.key
    assert all(e.new in EX1_AVAILABLE | {""} for q in ("error", "delta_w_h_o")
               for e in step_edits(q))


def test_both_lines_get_the_same_edit_once():
    pairs = [e for e in training_edits() if e.quantity in ("steps", "updates")]
    assert {e.key for e in pairs} >= {"updates.drop:eta", "updates.drop:inv_n", "updates.sign",
                                      "updates.swap:inv_n>inv_epochs", "steps.sign",
                                      "steps.insert:eta"}
    assert all(len(e.formulas) == 2 for e in pairs)
    # different ingredients in the two lines are no pair
    assert "steps.drop:output_error_term" not in {e.key for e in pairs}


def test_a_single_factor_cannot_be_dropped():
    assert not [e for e in single_edits(FORMULAS["error"], EX1_AVAILABLE) if e.kind == "drop"]
