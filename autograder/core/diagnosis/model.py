"""The model of the computation: every ingredient and formula of backpropagation.

A backpropagation step is a small graph. Each graded quantity is a product of
a few named ingredients, and a student's slip is, almost always, one small
edit of one of those products (:mod:`.edits`). This module names the
ingredients (with the notebook's symbols and words, and the neighbours a
student may use in their place) and writes each formula once, for both
examples and any network size; :mod:`.evaluation` evaluates them the way
NumPy evaluates the student's code.
"""

from dataclasses import dataclass, field

import numpy as np

from ...i18n import N_


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def slope(z):
    """The sigmoid's derivative at ``z``."""
    s = sigmoid(z)
    return s * (1.0 - s)


@dataclass(frozen=True)
class Ingredient:
    """One named value of the computation, as the notebook writes and says it."""

    name: str
    symbol: str
    words: str               # marked with N_, looked up with _() where it is shown
    neighbours: tuple = ()   # ingredients a student may use in its place
    vector: bool = False     # one value per unit (a row or column of an outer product)


INGREDIENTS = {i.name: i for i in (
    Ingredient("x", "xᵢ", N_("the inputs"), ("a",), vector=True),
    Ingredient("y", "y", N_("the target")),
    Ingredient("eta", "η", N_("the learning rate"), ("const_eta",)),
    Ingredient("W2", "Wⱼ", N_("the hidden-to-output weights"), ("W2_new",), vector=True),
    Ingredient("W2_new", "Wⱼ + ΔWⱼ", N_("the hidden-to-output weights after their update"),
               vector=True),
    Ingredient("h", "hⱼ", N_("the hidden units' inputs"), vector=True),
    Ingredient("a", "aⱼ = f(hⱼ)", N_("the hidden activations"), ("h", "x"), vector=True),
    Ingredient("h_o", "hₒ", N_("the output unit's input")),
    Ingredient("y_hat", "ŷ = f(hₒ)", N_("the output")),
    Ingredient("fp_h", "f′(hⱼ)", N_("the sigmoid's slope at the hidden units' inputs"),
               ("fp_a", "a", "one_minus_a", "fp_ho"), vector=True),
    Ingredient("fp_a", "f′(aⱼ)", N_("the sigmoid's slope taken at the hidden activations"),
               vector=True),
    Ingredient("one_minus_a", "1 − aⱼ", N_("one minus the hidden activations"), vector=True),
    Ingredient("fp_ho", "f′(hₒ)", N_("the sigmoid's slope at the output unit's input"),
               ("fp_yhat", "y_hat", "one_minus_yhat", "fp_h")),
    Ingredient("fp_yhat", "f′(ŷ)", N_("the sigmoid's slope taken at the output")),
    Ingredient("one_minus_yhat", "1 − ŷ", N_("one minus the output")),
    Ingredient("residual", "y − ŷ", N_("the target minus the output"),
               ("residual_ho", "residual_const")),
    Ingredient("residual_ho", "y − hₒ", N_("the target minus the output unit's input")),
    Ingredient("residual_const", "0.6 − ŷ", N_("the article's target 0.6 typed in")),
    Ingredient("const_eta", "0.5", N_("the article's learning rate 0.5 typed in")),
    Ingredient("error", "y − ŷ", N_("the output error")),
    Ingredient("output_error_term", "δᵒ", N_("the output error term"), ("error",)),
    Ingredient("hidden_error", "Wⱼ δᵒ", N_("the hidden error"), vector=True),
    Ingredient("hidden_error_term", "δʰⱼ", N_("the hidden error terms"), ("hidden_error",),
               vector=True),
    Ingredient("acc_h_o", "del_w_hidden_output", N_("the accumulated sum")),
    Ingredient("acc_i_h", "del_w_input_hidden", N_("the accumulated sum")),
    Ingredient("inv_n", "1/n_records", N_("the division by the number of records"),
               ("inv_features", "inv_hidden", "inv_epochs", "inv_n2")),
    Ingredient("inv_features", "1/n_features", N_("a division by the number of features")),
    Ingredient("inv_hidden", "1/n_hidden", N_("a division by the number of hidden units")),
    Ingredient("inv_epochs", "1/epochs", N_("a division by the number of epochs")),
    Ingredient("inv_n2", "1/n_records²", N_("a division by the number of records, twice")),
)}


@dataclass(frozen=True)
class Factor:
    """One ingredient of a product; ``column`` places it as a column (``x[:, None]``)."""

    name: str
    column: bool = False


@dataclass(frozen=True)
class Formula:
    """``quantity = sign × the product of factors``, broadcast as NumPy does."""

    quantity: str
    factors: tuple
    sign: int = 1
    #: Broadcasting plans by argument shapes, kept with the formula (see :func:`evaluate`).
    plans: dict = field(default_factory=dict, init=False, compare=False, hash=False,
                       repr=False)

    def uses(self, name) -> bool:
        return any(factor.name == name for factor in self.factors)


def _formula(quantity, *names):
    return Formula(quantity, tuple(Factor(n[:-4], True) if n.endswith("[:,]") else Factor(n)
                                   for n in names))


ERROR_TERMS = (
    _formula("error", "residual"),
    _formula("output_error_term", "error", "fp_ho"),
    _formula("hidden_error", "output_error_term", "W2"),
    _formula("hidden_error_term", "hidden_error", "fp_h"),
)
#: Example 1: the six quantities of one step, in the order they are computed.
STEP = ERROR_TERMS + (
    _formula("delta_w_h_o", "eta", "output_error_term", "a"),
    _formula("delta_w_i_h", "eta", "hidden_error_term", "x[:,]"),
)
#: Example 2, for each record: the error terms, then the terms the loop adds up (no η).
RECORD = ERROR_TERMS + (
    _formula("step_h_o", "output_error_term", "a"),
    _formula("step_i_h", "hidden_error_term", "x[:,]"),
)
#: Example 2, once per epoch: each weight moves by η × its accumulated sum / n_records.
UPDATE = (
    _formula("update_h_o", "eta", "acc_h_o", "inv_n"),
    _formula("update_i_h", "eta", "acc_i_h", "inv_n"),
)
FORMULAS = {f.quantity: f for f in STEP + RECORD + UPDATE}

#: How the notebook's text writes each formula (never the code); those with words are
#: marked for translation, and every one is looked up with ``_()`` where it is shown.
FORMULA_TEXT = {
    "error": N_("error = y − ŷ, the target minus the output"),
    "output_error_term": "δᵒ = (y − ŷ) f′(hₒ)",
    "hidden_error": N_("the hidden error of unit j is Wⱼ δᵒ"),
    "hidden_error_term": "δʰⱼ = Wⱼ δᵒ f′(hⱼ)",
    "delta_w_h_o": "ΔWⱼ = η δᵒ aⱼ",
    "delta_w_i_h": N_("Δwᵢⱼ = η δʰⱼ xᵢ, one row per input i and one column per hidden unit j"),
    "step_h_o": N_("each record adds its δᵒ aⱼ to del_w_hidden_output, without η"),
    "step_i_h": N_("each record adds its δʰⱼ xᵢ to del_w_input_hidden, without η"),
    "update_h_o": N_("after the loop over records, Wⱼ moves by η × its accumulated sum / "
                     "n_records"),
    "update_i_h": N_("after the loop over records, wᵢⱼ moves by η × its accumulated sum / "
                     "n_records"),
    "steps": N_("each record adds its δᵒ aⱼ to del_w_hidden_output and its δʰⱼ xᵢ to "
                "del_w_input_hidden, without η"),
    "updates": N_("after the loop over records, each weight moves by η × its accumulated "
                  "sum / n_records"),
}

#: Ingredients computed from others, in the same way for any batch axes.
DERIVED = {
    "fp_h": lambda ns: ns["a"] * (1.0 - ns["a"]),
    "fp_a": lambda ns: slope(ns["a"]),
    "one_minus_a": lambda ns: 1.0 - ns["a"],
    "fp_ho": lambda ns: ns["y_hat"] * (1.0 - ns["y_hat"]),
    "fp_yhat": lambda ns: slope(ns["y_hat"]),
    "one_minus_yhat": lambda ns: 1.0 - ns["y_hat"],
    "residual": lambda ns: ns["y"] - ns["y_hat"],
    "residual_ho": lambda ns: ns["y"] - ns["h_o"],
}
