"""What a student reads about a slip: its name and its hint, made from the edit.

A name says what changed in which quantity ("output error term δᵒ: f′(ŷ) in
place of f′(hₒ)"); the title adds the example, and is the one name used by
``backprop check``, the feedback and the class report. A hint names the
quantity, says what was used in place of what, and gives the formula as the
notebook's text writes it, never the code line. Where a hand-written text
reads better it is kept here, keyed by the edit it describes.

Every text is a whole sentence (or a whole name), marked with ``N_`` in the
tables and looked up with ``_()`` when a name or hint is made, so that it is
in the reader's language. What is put into a template is itself whole: a
quantity's title, the subject of a hint ("Your update of
`weights_hidden_output`"), an ingredient ("the learning rate, η"), a formula,
or a sentence; each is translated as a unit.
"""

from ...i18n import N_, _
from .. import messages
from .family_hints import FAMILIES
from .model import FORMULA_TEXT, INGREDIENTS

QUANTITY_TITLE = {
    "error": N_("output error"),
    "output_error_term": N_("output error term δᵒ"),
    "hidden_error": N_("hidden error"),
    "hidden_error_term": N_("hidden error term δʰ"),
    "delta_w_h_o": N_("hidden-to-output step ΔW"),
    "delta_w_i_h": N_("input-to-hidden step Δw"),
    "step_h_o": N_("term added to del_w_hidden_output"),
    "step_i_h": N_("term added to del_w_input_hidden"),
    "steps": N_("both terms added in the loop"),
    "update_h_o": N_("update of weights_hidden_output"),
    "update_i_h": N_("update of weights_input_hidden"),
    "updates": N_("both weight updates"),
    "loop": N_("training loop"),
    "loss": N_("recorded loss"),
}
#: The subject of a hint about a quantity of Example 2's loop (the others are
#: "Your `<quantity>`"): a noun phrase that starts a sentence.
SUBJECT = {
    "step_h_o": N_("The term your loop adds to `del_w_hidden_output`"),
    "step_i_h": N_("The term your loop adds to `del_w_input_hidden`"),
    "steps": N_("Each of the two terms your loop adds up"),
    "update_h_o": N_("Your update of `weights_hidden_output`"),
    "update_i_h": N_("Your update of `weights_input_hidden`"),
    "updates": N_("Each of your two weight updates"),
}
PAIR_FORMULAS = {"steps": ("step_h_o", "step_i_h"), "updates": ("update_h_o", "update_i_h")}

#: Hand-written texts, keyed by the edit they describe: (name, hint).
WRITTEN = {
    "error.sign": (
        N_("sign flipped"),
        N_("Your `error` has the opposite sign: the output error is the target minus the "
           "output, y − ŷ.")),
    "error.swap:residual>residual_const": (
        N_("the article's target typed in"),
        N_("Your `error` uses the number 0.6, the article's target, where the parameter "
           "`target` belongs, so it is wrong on every other network. The formula: error = "
           "y − ŷ, the target minus the output.")),
    "delta_w_h_o.swap:eta>const_eta": (
        N_("the article's learning rate typed in"),
        N_("Your `delta_w_h_o` uses the number 0.5, the article's learning rate, where the "
           "parameter `learnrate` belongs, so it is wrong on every other network. The "
           "formula: ΔWⱼ = η δᵒ aⱼ.")),
    "delta_w_i_h.swap:eta>const_eta": (
        N_("the article's learning rate typed in"),
        N_("Your `delta_w_i_h` uses the number 0.5, the article's learning rate, where the "
           "parameter `learnrate` belongs, so it is wrong on every other network. The "
           "formula: Δwᵢⱼ = η δʰⱼ xᵢ.")),
    "delta_w_i_h.no_column": (
        N_("x not made a column"),
        N_("Your `delta_w_i_h` multiplies the inputs and the hidden error terms element by "
           "element, which fails when their lengths differ. It is their outer product: the "
           "inputs as a column (one row per input) times the row of hidden error terms, "
           "Δwᵢⱼ = η δʰⱼ xᵢ, the shape of weights_input_hidden.")),
    "delta_w_i_h.transpose": (
        N_("transposed"),
        N_("Your `delta_w_i_h` is transposed: it must have the shape of weights_input_hidden, "
           "one row per input i and one column per hidden unit j (Δwᵢⱼ = η δʰⱼ xᵢ).")),
    "step_i_h.no_column": (
        N_("x not made a column"),
        N_("The term your loop adds to `del_w_input_hidden` multiplies the inputs and the "
           "hidden error terms element by element, which fails when their lengths differ; it "
           "is their outer product, the inputs as a column times the row of hidden error "
           "terms (δʰⱼ xᵢ), the shape of weights_input_hidden.")),
}
#: Names and hints of Example 2's loop and loss edits (no formula to show).
STRUCTURE = {
    "loop.update_every_record": (
        N_("weights updated after every record"),
        N_("The weights change inside the loop over records; add each record's terms to "
           "`del_w_hidden_output` and `del_w_input_hidden`, and update the weights once per "
           "epoch, after that loop, by η × each sum / n_records (see *Where the learning rate "
           "enters*).")),
    "loop.update_every_record_averaged": (
        N_("weights updated after every record, by a term divided by n_records"),
        N_("The weights change inside the loop over records, each time by η × the record's "
           "term / n_records. Add the terms up in `del_w_hidden_output` and "
           "`del_w_input_hidden`, and update the weights once per epoch, after that loop.")),
    "loop.update_inside_loop": (
        N_("update inside the loop over records"),
        N_("The weights move after every record, by the sum accumulated so far: the update "
           "runs inside the loop over records. Move it after that loop, so that it runs once "
           "per epoch.")),
    "loop.update_after_training": (
        N_("weights updated once, after the last epoch"),
        N_("The weights move only once, after all epochs, so every epoch computes the same "
           "sums. Move them once per epoch, right after the loop over records.")),
    "loop.accumulators_not_reset": (
        N_("accumulators not reset"),
        N_("del_w_input_hidden and del_w_hidden_output keep growing across epochs: set them to "
           "zeros at the start of every epoch.")),
    "loop.accumulators_reset_every_record": (
        N_("accumulators reset for every record"),
        N_("del_w_input_hidden and del_w_hidden_output are set to zeros inside the loop over "
           "records, so only the last record's terms are used. Set them to zeros once per "
           "epoch, before that loop.")),
    "loss.before_update": (
        N_("loss recorded before the update"),
        N_("Each recorded loss is measured before that epoch's update: record it after the "
           "weights have moved.")),
    "loss.last_record_vs_all": (
        N_("loss from the last record's output"),
        N_("The loss uses the network's output for the last record only, compared with every "
           "target: compute the output for all training records, then the mean of the "
           "squared errors.")),
    "loss.last_record": (
        N_("loss of the last record only"),
        N_("The loss is the squared error of the last record only: use the mean over all "
           "training records.")),
    "loss.half": (
        N_("loss with a factor ½"),
        N_("The recorded loss is half the mean squared error: record the mean of (ŷ − y)² "
           "over all training records, without the ½.")),
    "loss.sum": (
        N_("loss summed over the records"),
        N_("The recorded loss is the sum of the squared errors: record their mean over all "
           "training records.")),
}


LOOP_FORMULAS = N_(
    "Each record adds its δᵒ aⱼ to del_w_hidden_output and its δʰⱼ xᵢ to del_w_input_hidden, "
    "without η; after the loop over records, each weight moves by η × its accumulated sum / "
    "n_records.")

#: The name of an edit by what it changed, wherever it was made.
CHANGE_NAME = {
    "sign": N_("sign flipped"),
    "insert:eta": N_("η applied twice"),
    "no_column": N_("x not made a column"),
    "transpose": N_("transposed"),
    "article": N_("the article's value on every network"),
}
#: What an edit of each kind did, as a sentence about its ``{subject}`` (see
#: :func:`subject`); ``drop`` and ``swap`` name ingredients (see :func:`ingredient`).
CHANGE_SENTENCE = {
    "sign": N_("{subject} has the opposite sign."),
    "insert": N_("{subject} multiplies by the learning rate η a second time, but η enters "
                 "once."),
    "no_column": N_("{subject} is no outer product of the inputs and the hidden error terms."),
    "transpose": N_("{subject} is transposed: it has one row per hidden unit instead of one "
                    "per input."),
    "article": N_("{subject} has the article's value on every network: compute it from the "
                  "function's parameters."),
    "drop": N_("{subject} leaves out {old}."),
    "swap": N_("{subject} uses {new}, in place of {old}."),
}
#: An ``article_<quantity>`` ingredient, where a symbol is shown.
ARTICLE_VALUE = N_("the article's value")


def _symbol(name) -> str:
    return _(ARTICLE_VALUE) if name.startswith("article_") else INGREDIENTS[name].symbol


def ingredient(name) -> str:
    """An ingredient in words with its symbol: "the learning rate, η"."""
    item = INGREDIENTS[name]
    # TRANSLATORS: an ingredient of a formula in words, then its symbol ("the learning
    # rate, η").
    return _("{words}, {symbol}").format(words=_(item.words), symbol=item.symbol)


def subject(quantity) -> str:
    """What a hint about ``quantity`` is about, as the subject of its sentence."""
    if quantity in SUBJECT:
        return _(SUBJECT[quantity])
    return _("Your `{quantity}`").format(quantity=quantity)


def formula_sentence(quantity) -> str:
    return _("The formula: {formula}.").format(formula=_(FORMULA_TEXT[quantity]))


def edit_name(edit) -> str:
    if edit.key in STRUCTURE:
        return _(STRUCTURE[edit.key][0])
    if edit.change in CHANGE_NAME:
        return _(CHANGE_NAME[edit.change])
    if edit.kind == "drop":
        return _("{old} left out").format(old=_symbol(edit.old))
    return _("{new} in place of {old}").format(new=_symbol(edit.new), old=_symbol(edit.old))


def edit_hint(edit) -> str:
    if edit.key in STRUCTURE:
        return _(STRUCTURE[edit.key][1])
    fields = dict(subject=subject(edit.quantity))
    if edit.kind in ("drop", "swap"):
        fields["old"] = ingredient(edit.old)
    if edit.kind == "swap":
        fields["new"] = ingredient(edit.new)
    what = _(CHANGE_SENTENCE[edit.kind]).format(**fields)
    return messages.sentences(what, formula_sentence(edit.quantity))


def name_and_hint(edit) -> tuple[str, str]:
    """The edit's own name and hint, hand-written where that reads better."""
    if edit.key in WRITTEN:
        return tuple(_(text) for text in WRITTEN[edit.key])
    return edit_name(edit), edit_hint(edit)


def _listed(texts) -> str:
    """Whole phrases in a list, the language's separator between them."""
    listed = texts[0]
    for text in texts[1:]:
        # TRANSLATORS: a list of phrases (slips, formulas) and its next entry.
        listed = _("{list}; {entry}").format(list=listed, entry=text)
    return listed


def family_texts(members) -> tuple[str, str]:
    """Name and hint of edits that give exactly the same values (the first one leads)."""
    name, hint = name_and_hint(members[0])
    if len(members) == 1:
        return name, hint
    options = _listed([_("{quantity}: {slip}").format(quantity=_(QUANTITY_TITLE[m.quantity]),
                                                      slip=name_and_hint(m)[0])
                       for m in members])
    formulas = _formulas_of(members)
    if formulas:
        hint = _("These slips give exactly the same values, so look for any of them: "
                 "{options}. The formulas: {formulas}.").format(options=options,
                                                                formulas=formulas)
    else:
        hint = _("These slips give exactly the same values, so look for any of them: "
                 "{options}.").format(options=options)
    return _("{slip} (or an equivalent slip)").format(slip=name), hint


def _formulas_of(members) -> str:
    """The formulas of the members' quantities, as a list (empty when there is none)."""
    quantities = []
    for member in members:
        for name in PAIR_FORMULAS.get(member.quantity, (member.quantity,)):
            if name in FORMULA_TEXT and name not in quantities:
                quantities.append(name)
    return _listed([_(FORMULA_TEXT[n]) for n in quantities]) if quantities else ""


def title(example: int, quantity: str, name: str) -> str:
    return _("Example {example}, {quantity}: {slip}").format(
        example=example, quantity=_(QUANTITY_TITLE[quantity]), slip=name)


def family_title_and_hint(key, example, members) -> tuple[str, str]:
    """The family's title (with its example) and its hint."""
    if key in FAMILIES:
        quantity, name, hint = FAMILIES[key]
        return title(example, quantity, _(name)), _(hint)
    name, hint = family_texts(members)
    quantities = {m.quantity for m in members}
    quantity = members[0].quantity if len(quantities) == 1 else "loop"
    return title(example, quantity, name), hint


def training_unexplained() -> str:
    return messages.sentences(_(messages.NO_TRAINING_CAUSE), _(LOOP_FORMULAS))
