"""What a student reads about a slip: its name and its hint, made from the edit.

A name says what changed in which quantity ("output error term δᵒ: f′(ŷ) in
place of f′(hₒ)"); the title adds the example, and is the one name used by
``backprop check``, the feedback and the class report. A hint names the
quantity, says what was used in place of what, and gives the formula as the
notebook's text writes it, never the code line. Where a hand-written text
reads better it is kept here, keyed by the edit it describes.
"""

from .. import messages
from .model import FORMULA_TEXT, INGREDIENTS

QUANTITY_TITLE = {
    "error": "output error",
    "output_error_term": "output error term δᵒ",
    "hidden_error": "hidden error",
    "hidden_error_term": "hidden error term δʰ",
    "delta_w_h_o": "hidden-to-output step ΔW",
    "delta_w_i_h": "input-to-hidden step Δw",
    "step_h_o": "term added to del_w_hidden_output",
    "step_i_h": "term added to del_w_input_hidden",
    "steps": "both terms added in the loop",
    "update_h_o": "update of weights_hidden_output",
    "update_i_h": "update of weights_input_hidden",
    "updates": "both weight updates",
    "loop": "training loop",
    "loss": "recorded loss",
}
SUBJECT = {
    "step_h_o": "The term your loop adds to `del_w_hidden_output`",
    "step_i_h": "The term your loop adds to `del_w_input_hidden`",
    "steps": "Each of the two terms your loop adds up",
    "update_h_o": "Your update of `weights_hidden_output`",
    "update_i_h": "Your update of `weights_input_hidden`",
    "updates": "Each of your two weight updates",
}
PAIR_FORMULAS = {"steps": ("step_h_o", "step_i_h"), "updates": ("update_h_o", "update_i_h")}
_TYPED_ETA = ("uses the number 0.5, the article's learning rate, where the parameter `learnrate` "
              "belongs, so it is wrong on every other network.")

#: Hand-written texts, keyed by the edit they describe: (name, hint).
WRITTEN = {
    "error.sign": ("sign flipped",
                   "Your `error` has the opposite sign: the output error is the target minus "
                   "the output, y − ŷ."),
    "error.swap:residual>residual_const": (
        "the article's target typed in",
        "Your `error` uses the number 0.6, the article's target, where the parameter `target` "
        "belongs, so it is wrong on every other network. The formula: error = y − ŷ, the "
        "target minus the output."),
    "delta_w_h_o.swap:eta>const_eta": (
        "the article's learning rate typed in",
        f"Your `delta_w_h_o` {_TYPED_ETA} The formula: ΔWⱼ = η δᵒ aⱼ."),
    "delta_w_i_h.swap:eta>const_eta": (
        "the article's learning rate typed in",
        f"Your `delta_w_i_h` {_TYPED_ETA} The formula: Δwᵢⱼ = η δʰⱼ xᵢ."),
    "delta_w_i_h.no_column": (
        "x not made a column",
        "Your `delta_w_i_h` multiplies the inputs and the hidden error terms element by element, "
        "which fails when their lengths differ. It is their outer product: the inputs as a "
        "column (one row per input) times the row of hidden error terms, Δwᵢⱼ = η δʰⱼ xᵢ, the "
        "shape of weights_input_hidden."),
    "delta_w_i_h.transpose": (
        "transposed",
        "Your `delta_w_i_h` is transposed: it must have the shape of weights_input_hidden, one "
        "row per input i and one column per hidden unit j (Δwᵢⱼ = η δʰⱼ xᵢ)."),
    "step_i_h.no_column": (
        "x not made a column",
        "The term your loop adds to `del_w_input_hidden` multiplies the inputs and the hidden "
        "error terms element by element, which fails when their lengths differ; it is their "
        "outer product, the inputs as a column times the row of hidden error terms (δʰⱼ xᵢ), "
        "the shape of weights_input_hidden."),
}
#: Names and hints of Example 2's loop and loss edits (no formula to show).
STRUCTURE = {
    "loop.update_every_record": (
        "weights updated after every record",
        "The weights change inside the loop over records; add each record's terms to "
        "`del_w_hidden_output` and `del_w_input_hidden`, and update the weights once per "
        "epoch, after that loop, by η × each sum / n_records (see *Where the learning rate "
        "enters*)."),
    "loop.update_every_record_averaged": (
        "weights updated after every record, by a term divided by n_records",
        "The weights change inside the loop over records, each time by η × the record's term "
        "/ n_records. Add the terms up in `del_w_hidden_output` and `del_w_input_hidden`, and "
        "update the weights once per epoch, after that loop."),
    "loop.update_inside_loop": (
        "update inside the loop over records",
        "The weights move after every record, by the sum accumulated so far: the update runs "
        "inside the loop over records. Move it after that loop, so that it runs once per epoch."),
    "loop.update_after_training": (
        "weights updated once, after the last epoch",
        "The weights move only once, after all epochs, so every epoch computes the same sums. "
        "Move them once per epoch, right after the loop over records."),
    "loop.accumulators_not_reset": (
        "accumulators not reset",
        "del_w_input_hidden and del_w_hidden_output keep growing across epochs: set them to "
        "zeros at the start of every epoch."),
    "loop.accumulators_reset_every_record": (
        "accumulators reset for every record",
        "del_w_input_hidden and del_w_hidden_output are set to zeros inside the loop over "
        "records, so only the last record's terms are used. Set them to zeros once per epoch, "
        "before that loop."),
    "loss.before_update": (
        "loss recorded before the update",
        "Each recorded loss is measured before that epoch's update: record it after the "
        "weights have moved."),
    "loss.last_record_vs_all": (
        "loss from the last record's output",
        "The loss uses the network's output for the last record only, compared with every "
        "target: compute the output for all training records, then the mean of the squared "
        "errors."),
    "loss.last_record": (
        "loss of the last record only",
        "The loss is the squared error of the last record only: use the mean over all "
        "training records."),
    "loss.half": ("loss with a factor ½",
                  "The recorded loss is half the mean squared error: record the mean of "
                  "(ŷ − y)² over all training records, without the ½."),
    "loss.sum": ("loss summed over the records",
                 "The recorded loss is the sum of the squared errors: record their mean over "
                 "all training records."),
}


#: Families of several edits that give the same training: (quantity, name, hint).
FAMILIES = {
    "ex2.error.sign": (
        "loop", "weights move uphill",
        "The weights move up the error surface, not down: the error has the opposite sign "
        "(ŷ − y instead of y − ŷ), or so has δᵒ, or both terms the loop adds up, or both "
        "updates subtract instead of adding. The error is y − ŷ, and each weight moves by "
        "+η × its accumulated sum / n_records."),
    "ex2.hidden_error.sign": (
        "loop", "input-to-hidden weights move uphill",
        "The input-to-hidden weights move up the error surface: the hidden error or δʰ has "
        "the opposite sign, or the term added to del_w_input_hidden has, or the update of "
        "weights_input_hidden subtracts. δʰⱼ = Wⱼ δᵒ f′(hⱼ), and wᵢⱼ moves by +η × its "
        "accumulated sum / n_records."),
    "ex2.step_h_o.sign": (
        "loop", "hidden-to-output weights move uphill",
        "The hidden-to-output weights move up the error surface: the term added to "
        "del_w_hidden_output has the opposite sign, or the update of weights_hidden_output "
        "subtracts. Each record adds δᵒ aⱼ, and Wⱼ moves by +η × its accumulated sum / "
        "n_records."),
    "ex2.hidden_error_term.drop:fp_h": (
        "hidden_error_term", "f′(hⱼ) left out",
        "Your hidden error term leaves out the sigmoid's slope at the hidden units' inputs, "
        "f′(hⱼ) (or the term added to del_w_input_hidden uses the hidden error in place of "
        "δʰ). The formula: δʰⱼ = Wⱼ δᵒ f′(hⱼ), and each record adds δʰⱼ xᵢ."),
    "ex2.step_h_o.insert:eta": (
        "loop", "η applied twice to the hidden-to-output weights",
        "The hidden-to-output weights get the learning rate twice, in the term added to "
        "del_w_hidden_output and again in the update: η enters once, in the update (Wⱼ "
        "moves by η × its accumulated sum / n_records; see *Where the learning rate "
        "enters*)."),
    "ex2.step_i_h.insert:eta": (
        "loop", "η applied twice to the input-to-hidden weights",
        "The input-to-hidden weights get the learning rate twice, in the term added to "
        "del_w_input_hidden and again in the update: η enters once, in the update (wᵢⱼ "
        "moves by η × its accumulated sum / n_records; see *Where the learning rate "
        "enters*)."),
    "ex2.steps.insert:eta": (
        "loop", "η applied twice",
        "The learning rate is applied twice, in the terms your loop adds up and again in "
        "the updates: η enters once, in the update (each weight moves by η × its "
        "accumulated sum / n_records; see *Where the learning rate enters*)."),
}
LOOP_FORMULAS = ("Each record adds its δᵒ aⱼ to del_w_hidden_output and its δʰⱼ xᵢ to "
                 "del_w_input_hidden, without η; after the loop over records, each weight "
                 "moves by η × its accumulated sum / n_records.")


def _symbol(name) -> str:
    return "the article's value" if name.startswith("article_") else INGREDIENTS[name].symbol


def _words(name) -> str:
    ingredient = INGREDIENTS[name]
    return f"{ingredient.words}, {ingredient.symbol}"


def formula_sentence(quantity) -> str:
    return f"The formula: {FORMULA_TEXT[quantity]}."


def edit_name(edit) -> str:
    if edit.key in STRUCTURE:
        return STRUCTURE[edit.key][0]
    if edit.change in ("sign", "insert:eta", "no_column", "transpose", "article"):
        return {"sign": "sign flipped", "insert:eta": "η applied twice",
                "no_column": "x not made a column", "transpose": "transposed",
                "article": "the article's value on every network"}[edit.change]
    if edit.kind == "drop":
        return f"{_symbol(edit.old)} left out"
    return f"{_symbol(edit.new)} in place of {_symbol(edit.old)}"


def edit_hint(edit) -> str:
    if edit.key in STRUCTURE:
        return STRUCTURE[edit.key][1]
    subject = SUBJECT.get(edit.quantity, f"Your `{edit.quantity}`")
    what = {
        "sign": "has the opposite sign",
        "insert": "multiplies by the learning rate η a second time, but η enters once",
        "no_column": "is no outer product of the inputs and the hidden error terms",
        "transpose": "is transposed: it has one row per hidden unit instead of one per input",
        "article": ("has the article's value on every network: compute it from the "
                    "function's parameters"),
    }.get(edit.kind)
    if edit.kind == "drop":
        what = f"leaves out {_words(edit.old)}"
    elif edit.kind == "swap":
        what = f"uses {_words(edit.new)}, in place of {_words(edit.old)}"
    return f"{subject} {what}. {formula_sentence(edit.quantity)}"


def name_and_hint(edit) -> tuple[str, str]:
    """The edit's own name and hint, hand-written where that reads better."""
    return WRITTEN.get(edit.key) or (edit_name(edit), edit_hint(edit))


def family_texts(members) -> tuple[str, str]:
    """Name and hint of edits that give exactly the same values (the first one leads)."""
    name, hint = name_and_hint(members[0])
    if len(members) == 1:
        return name, hint
    options = "; ".join(f"{QUANTITY_TITLE[m.quantity]}: {name_and_hint(m)[0]}" for m in members)
    return (f"{name} (or an equivalent slip)",
            f"These slips give exactly the same values, so look for any of them: {options}. "
            + _formulas_of(members))


def _formulas_of(members) -> str:
    quantities = []
    for member in members:
        for name in PAIR_FORMULAS.get(member.quantity, (member.quantity,)):
            if name in FORMULA_TEXT and name not in quantities:
                quantities.append(name)
    if not quantities:
        return ""
    return "The formulas: " + "; ".join(FORMULA_TEXT[n] for n in quantities) + "."


def title(example: int, quantity: str, name: str) -> str:
    return f"Example {example}, {QUANTITY_TITLE[quantity]}: {name}"


def family_title_and_hint(key, example, members) -> tuple[str, str]:
    """The family's title (with its example) and its hint."""
    if key in FAMILIES:
        quantity, name, hint = FAMILIES[key]
        return title(example, quantity, name), hint
    name, hint = family_texts(members)
    quantities = {m.quantity for m in members}
    quantity = members[0].quantity if len(quantities) == 1 else "loop"
    return title(example, quantity, name), hint


def training_unexplained() -> str:
    return f"{messages.NO_TRAINING_CAUSE} {LOOP_FORMULAS}"
