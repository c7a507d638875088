"""The hints and fixed sentences of the checks, each a whole sentence in one place.

Every text here is one or more complete sentences; a placeholder in braces is
a name, a number or a whole sentence, never a piece of grammar, so that each
template can be translated on its own (with gettext, the key is the message
id). The tables mark their texts with ``N_`` and every use looks them up with
``_()`` when the message is made, so that the reader's language applies.
Counts go through ``ngettext`` (or :func:`plural`, its arguments in another
order); nothing appends an "s".

Hints point at the notebook's text, never at code: a hint for an untouched
item only says where to read, and a hint with no specific cause says so.
"""

from ..i18n import N_, _, ngettext

#: Where to start reading for an item nothing has been done for yet.
START = {
    "ex1_error": N_(
        "Start with *The error, and what a step is* in The maths, then replace the `None` of "
        "the `error` TODO with your expression."),
    "ex1_output_error_term": N_(
        "Start with *Output layer* in The maths, then replace the `None` of the "
        "`output_error_term` TODO."),
    "ex1_hidden_error": N_(
        "Start with *Hidden layer* in The maths, then replace the `None` of the `hidden_error` "
        "TODO."),
    "ex1_hidden_error_term": N_(
        "Start with *Hidden layer* in The maths, then replace the `None` of the "
        "`hidden_error_term` TODO."),
    "ex1_delta_w_h_o": N_(
        "Start with *Output layer* in The maths, then replace the `None` of the `delta_w_h_o` "
        "TODO."),
    "ex1_delta_w_i_h": N_(
        "Start with *Hidden layer* and *All the steps of a layer at once* in The maths, then "
        "replace the `None` of the `delta_w_i_h` TODO."),
    "ex1_other_inputs": N_(
        "This check calls `backprop_step` on other networks: fill in its TODOs in Example 1 "
        "first."),
    "ex2_first_epoch": N_(
        "Start with *Many records: three losses* and *Where the learning rate enters* in The "
        "maths, then fill in the TODOs of `train_nn`."),
    "ex2_final_weights": N_(
        "Start with *Many records: three losses* and *Where the learning rate enters* in The "
        "maths, then fill in the TODOs of `train_nn`."),
    "ex2_loss": N_(
        "The loss falls only once `train_nn` moves the weights: fill in its TODOs first."),
    "ex2_accuracy": N_(
        "The accuracy improves only once `train_nn` moves the weights: fill in its TODOs first."),
    "ex2_other_data": N_(
        "This check calls `train_nn` on other data: fill in its TODOs first."),
}

#: A function called on the grader's other inputs. ``{case}`` names the first case that
#: went wrong ("a network with 4 inputs and 3 hidden units"), ``{problem}`` is a sentence.
CASES = {
    "ex1_other_inputs": {
        "correct": N_("`backprop_step` is right on each of the {n} other networks."),
        "untouched": N_(
            "Not attempted: `backprop_step` still returns `None` for every quantity."),
        "some": N_(
            "`backprop_step` is right on {passed} of the {total} other networks. On {case}: "
            "{problem}"),
    },
    "ex2_other_data": {
        "correct": N_("`train_nn` is right on each of the {n} other data sets."),
        "untouched": N_(
            "Not attempted: `train_nn` never moves the weights from their starting values."),
        "some": N_(
            "`train_nn` is right on {passed} of the {total} other data sets. On {case}: "
            "{problem}"),
    },
}

#: The weights after the first epoch and after all epochs.
WEIGHTS_UNTOUCHED = {
    "ex2_first_epoch": N_(
        "Not attempted: the weights after the first epoch are still the starting weights."),
    "ex2_final_weights": N_(
        "Not attempted: the weights after training are still the starting weights."),
}
#: The one-epoch run left the weights where they started, the full training did not.
FIRST_EPOCH_SKIPPED = N_(
    "After one epoch (`train_nn` called with `epochs=1`) the weights are still the starting "
    "weights, although the full training moves them.")
FIRST_EPOCH_SKIPPED_HINT = N_(
    "The loop over the epochs must run `epochs` times: once when `epochs` is 1. Look at what "
    "it counts from and to.")
WEIGHTS_CORRECT = {
    "ex2_first_epoch": N_("The weights after the first epoch are correct."),
    "ex2_final_weights": N_("The weights after training are correct."),
}
#: ``{problem}`` is one or two sentences from :func:`describe`.
WRONG_WEIGHTS = {
    "ex2_first_epoch": N_("The weights after the first epoch are wrong. {problem}"),
    "ex2_final_weights": N_("The weights after training are wrong. {problem}"),
}

#: The loss and the accuracy of a training that never moved the weights.
NEVER_TRAINED = {
    "ex2_loss": N_(
        "Not attempted: the weights never move from their starting values, so the loss curve "
        "cannot be judged."),
    "ex2_accuracy": N_(
        "Not attempted: the weights never move from their starting values, so the test "
        "accuracy cannot be judged."),
}

#: A wrong Example 1 value that matches no known mistake: say so, and where the formula is.
NO_CAUSE = {
    "error": N_(
        "No common mistake gives this value. Compare your line with *The error, and what a "
        "step is*: the error is the target minus the network's output, y − ŷ."),
    "output_error_term": N_(
        "No common mistake gives this value. Compare your line with *Output layer*: "
        "δᵒ = (y − ŷ) f′(hₒ), with the slope taken at the output unit's input hₒ."),
    "hidden_error": N_(
        "No common mistake gives this value. Compare your line with *Hidden layer*: the "
        "hidden error of unit j is Wⱼ δᵒ, one value per hidden unit."),
    "hidden_error_term": N_(
        "No common mistake gives this value. Compare your line with *Hidden layer*: "
        "δʰⱼ = Wⱼ δᵒ f′(hⱼ), with the slope taken at each hidden unit's input."),
    "delta_w_h_o": N_(
        "No common mistake gives this value. Compare your line with *Output layer*: "
        "ΔWⱼ = η δᵒ aⱼ, with the hidden activations aⱼ."),
    "delta_w_i_h": N_(
        "No common mistake gives this value. Compare your line with *All the steps of a layer "
        "at once*: Δwᵢⱼ = η δʰⱼ xᵢ, one row per input and one column per hidden unit."),
}

#: A value of the wrong shape.
SHAPE = N_("Compare the shape with the table above `backprop_step`.")
SHAPE_BY_NAME = {
    "delta_w_i_h": N_(
        "`delta_w_i_h` must have the shape of `weights_input_hidden`, one row per input and "
        "one column per hidden unit: see *All the steps of a layer at once*."),
}

#: ``backprop_step`` / ``train_nn`` right on the article's inputs, wrong on others.
USE_PARAMETERS = {
    "ex1_other_inputs": N_(
        "`backprop_step` is right on the article's numbers but not on other networks: use the "
        "function's parameters, not the article's numbers or global variables, and make it "
        "work for any number of inputs and hidden units."),
    "ex2_other_data": N_(
        "`train_nn` is right on the course data but not on other data: use the function's "
        "parameters (features, targets, epochs, learnrate, n_hidden, seed), not the global "
        "data or hyperparameters."),
}

#: The function is already wrong on the article's inputs: the other checks show why.
FIX_ARTICLE_FIRST = {
    "ex1_other_inputs": N_(
        "`backprop_step` is already wrong on the article's numbers: fix the quantities that "
        "fail above first."),
    "ex2_other_data": N_(
        "`train_nn` is already wrong on the course data: fix the items that fail above first."),
}

#: A wrong training that matches no known mistake.
NO_TRAINING_CAUSE = N_(
    "No common mistake gives this training. Compare your loop with *Many records: three "
    "losses* and *Where the learning rate enters* in The maths.")


def plural(n: int, one: str, other: str) -> str:
    """The template for ``n`` things, ``one`` or ``other``, in the current language:
    ``ngettext(one, other, n)``. The caller formats it (``n`` and any other fields).

    Babel finds the texts only where ``ngettext`` itself is written: new code calls it."""
    return ngettext(one, other, n)


def sentences(*texts) -> str:
    """Whole sentences one after another, as the language writes them (a space between
    two in English, none in Chinese); empty ones are left out."""
    texts = [text for text in texts if text]
    if not texts:
        return ""
    joined = texts[0]
    for text in texts[1:]:
        # TRANSLATORS: two whole sentences, one after the other.
        joined = _("{first} {second}").format(first=joined, second=text)
    return joined


def _shape(shape) -> str:
    return "×".join(str(n) for n in shape)


def describe(name: str, outcome) -> str:
    """One whole sentence for a value ``name`` whose comparison ``outcome`` failed."""
    status, got, want = outcome.status, outcome.got_shape, outcome.want_shape
    if status == "missing":
        return _("`{name}` has no value.").format(name=name)
    if status == "not numeric":
        return _("`{name}` is a {kind}, not a number or an array of numbers.").format(
            name=name, kind=outcome.type_name)
    if status == "not finite":
        return _("`{name}` contains nan or inf.").format(name=name)
    if status in ("shape", "transposed"):
        if got == ():
            text = _("`{name}` is a single number but should have shape {want}.")
        elif want == ():
            text = _("`{name}` has shape {got} but should be a single number.")
        elif status == "transposed":
            text = _("`{name}` has shape {got} but should have shape {want}: it is transposed.")
        else:
            text = _("`{name}` has shape {got} but should have shape {want}.")
        return text.format(name=name, got=_shape(got or ()), want=_shape(want or ()))
    return _("`{name}` is off by a relative error of {error:.2g}.").format(
        name=name, error=outcome.max_rel_error or 0.0)
