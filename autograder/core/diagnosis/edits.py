"""What a slip is: one small edit of one formula of the model.

For a formula ``quantity = sign × f₁ f₂ …`` (:mod:`.model`) the single edits are

* ``sign``: the sign flipped;
* ``drop:f``: a factor left out;
* ``swap:f>g``: an ingredient used in place of one of its neighbours (the
  output error for its error term, the hidden inputs for the activations,
  f′(a) or f(h) for f′(h), the inputs for the activations, the weights after
  their update for the weights before it, 1/n_features for 1/n_records …);
* ``insert:eta``: the learning rate applied a second time;
* ``no_column`` / ``transpose``: the outer product of Δw built without the
  column of inputs, or the wrong way round;
* ``article``: the article's value typed in, whatever the inputs (an extra
  rule: a hard-coded number is no edit of a formula).

Example 2 adds the same edit made to both of its parallel lines (both steps,
both updates) and the loop's own edits (:mod:`.training`). An edit's key is
``<quantity>.<edit>``, e.g. ``output_error_term.swap:fp_ho>fp_yhat``.
"""

from dataclasses import dataclass, replace

from .model import INGREDIENTS, RECORD, STEP, UPDATE, Factor, Formula

_FORWARD = {"x", "y", "eta", "W2", "h", "a", "h_o", "y_hat", "fp_h", "fp_a", "one_minus_a",
            "fp_ho", "fp_yhat", "one_minus_yhat", "residual", "residual_ho", "error",
            "output_error_term", "hidden_error", "hidden_error_term"}
#: The ingredients each evaluation can offer.
EX1_AVAILABLE = _FORWARD | {"W2_new", "residual_const", "const_eta"}
EX2_AVAILABLE = _FORWARD | {"acc_h_o", "acc_i_h", "inv_n", "inv_features", "inv_hidden",
                            "inv_epochs", "inv_n2"}
#: Formulas where η may be applied a second time.
INSERTABLE = {"delta_w_h_o", "delta_w_i_h", "step_h_o", "step_i_h", "update_h_o", "update_i_h"}
#: Example 2's parallel lines: one name for the same edit made to both.
PAIRS = (("steps", "step_h_o", "step_i_h"), ("updates", "update_h_o", "update_i_h"))


@dataclass(frozen=True)
class Edit:
    """One slip: the formulas it replaces, and what it changed.

    ``quantity`` is the edited formula (``steps``/``updates`` for both lines,
    ``loop``/``loss`` for Example 2's structure); ``old`` and ``new`` name the
    ingredients taken out and put in."""

    key: str
    kind: str
    quantity: str
    formulas: tuple = ()
    old: str = ""
    new: str = ""

    @property
    def change(self) -> str:
        """The key without its quantity: what was done, wherever it was done."""
        return self.key.split(".", 1)[1]


def _edit(formula, kind, change, factors=None, sign=None, old="", new=""):
    edited = replace(formula, factors=formula.factors if factors is None else tuple(factors),
                     sign=formula.sign if sign is None else sign)
    return Edit(f"{formula.quantity}.{change}", kind, formula.quantity, (edited,), old, new)


def single_edits(formula: Formula, available) -> list[Edit]:
    """Every single edit of ``formula`` that uses only ``available`` ingredients."""
    factors = list(formula.factors)
    edits = [_edit(formula, "sign", "sign", sign=-formula.sign)]
    for i, factor in enumerate(factors):
        if len(factors) > 1:
            edits.append(_edit(formula, "drop", f"drop:{factor.name}",
                               factors[:i] + factors[i + 1:], old=factor.name))
        for other in INGREDIENTS[factor.name].neighbours:
            if other in available:
                swapped = factors[:i] + [Factor(other, factor.column)] + factors[i + 1:]
                edits.append(_edit(formula, "swap", f"swap:{factor.name}>{other}", swapped,
                                   old=factor.name, new=other))
    if formula.quantity in INSERTABLE and "eta" in available:
        edits.append(_edit(formula, "insert", "insert:eta", factors + [Factor("eta")],
                           new="eta"))
    columns = [i for i, factor in enumerate(factors) if factor.column]
    if columns:
        i = columns[0]
        plain = factors[:i] + [Factor(factors[i].name)] + factors[i + 1:]
        edits.append(_edit(formula, "no_column", "no_column", plain, old=factors[i].name))
        partners = [j for j, factor in enumerate(plain)
                    if j != i and INGREDIENTS[factor.name].vector]
        if partners:
            turned = list(plain)
            turned[partners[0]] = Factor(plain[partners[0]].name, True)
            edits.append(_edit(formula, "transpose", "transpose", turned))
    return edits


def article_edit(quantity: str) -> Edit:
    """The extra rule: the article's value, whatever the network."""
    formula = Formula(quantity, (Factor(f"article_{quantity}"),))
    return Edit(f"{quantity}.article", "article", quantity, (formula,))


def step_edits(quantity: str) -> list[Edit]:
    """Example 1: every single edit of one quantity's formula, and the extra rule."""
    formula = next(f for f in STEP if f.quantity == quantity)
    return single_edits(formula, EX1_AVAILABLE) + [article_edit(quantity)]


def _paired(first: list[Edit], second: list[Edit], name: str) -> list[Edit]:
    by_change = {(e.kind, e.old, e.new): e for e in second}
    pairs = []
    for edit in first:
        partner = by_change.get((edit.kind, edit.old, edit.new))
        if partner is not None and edit.kind in ("sign", "insert", "drop", "swap"):
            pairs.append(Edit(f"{name}.{edit.change}", edit.kind, name,
                              edit.formulas + partner.formulas, edit.old, edit.new))
    return pairs


def training_edits() -> list[Edit]:
    """Example 2: every single edit of a per-record or per-epoch formula, and of
    both parallel lines at once."""
    by_quantity = {f.quantity: single_edits(f, EX2_AVAILABLE) for f in RECORD + UPDATE}
    edits = [edit for f in RECORD + UPDATE for edit in by_quantity[f.quantity]]
    for name, first, second in PAIRS:
        edits += _paired(by_quantity[first], by_quantity[second], name)
    return edits
