"""The hand-written names and hints of the training mistakes that several edits share."""

from ...i18n import N_

#: Families of several edits that give the same training: (quantity, name, hint).
FAMILIES = {
    "ex2.error.sign": (
        "loop", N_("weights move uphill"),
        N_("The weights move up the error surface, not down: the error has the opposite sign "
           "(ŷ − y instead of y − ŷ), or so has δᵒ, or both terms the loop adds up, or both "
           "updates subtract instead of adding. The error is y − ŷ, and each weight moves by "
           "+η × its accumulated sum / n_records.")),
    "ex2.hidden_error.sign": (
        "loop", N_("input-to-hidden weights move uphill"),
        N_("The input-to-hidden weights move up the error surface: the hidden error or δʰ has "
           "the opposite sign, or the term added to del_w_input_hidden has, or the update of "
           "weights_input_hidden subtracts. δʰⱼ = Wⱼ δᵒ f′(hⱼ), and wᵢⱼ moves by +η × its "
           "accumulated sum / n_records.")),
    "ex2.step_h_o.sign": (
        "loop", N_("hidden-to-output weights move uphill"),
        N_("The hidden-to-output weights move up the error surface: the term added to "
           "del_w_hidden_output has the opposite sign, or the update of weights_hidden_output "
           "subtracts. Each record adds δᵒ aⱼ, and Wⱼ moves by +η × its accumulated sum / "
           "n_records.")),
    "ex2.hidden_error_term.drop:fp_h": (
        "hidden_error_term", N_("f′(hⱼ) left out"),
        N_("Your hidden error term leaves out the sigmoid's slope at the hidden units' inputs, "
           "f′(hⱼ) (or the term added to del_w_input_hidden uses the hidden error in place of "
           "δʰ). The formula: δʰⱼ = Wⱼ δᵒ f′(hⱼ), and each record adds δʰⱼ xᵢ.")),
    "ex2.step_h_o.insert:eta": (
        "loop", N_("η applied twice to the hidden-to-output weights"),
        N_("The hidden-to-output weights get the learning rate twice, in the term added to "
           "del_w_hidden_output and again in the update: η enters once, in the update (Wⱼ "
           "moves by η × its accumulated sum / n_records; see *Where the learning rate "
           "enters*).")),
    "ex2.step_i_h.insert:eta": (
        "loop", N_("η applied twice to the input-to-hidden weights"),
        N_("The input-to-hidden weights get the learning rate twice, in the term added to "
           "del_w_input_hidden and again in the update: η enters once, in the update (wᵢⱼ "
           "moves by η × its accumulated sum / n_records; see *Where the learning rate "
           "enters*).")),
    "ex2.steps.insert:eta": (
        "loop", N_("η applied twice"),
        N_("The learning rate is applied twice, in the terms your loop adds up and again in "
           "the updates: η enters once, in the update (each weight moves by η × its "
           "accumulated sum / n_records; see *Where the learning rate enters*).")),
}
