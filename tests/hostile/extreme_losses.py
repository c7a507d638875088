"""Losses of ±1e308.

Attack: ``train_nn`` trains correctly but returns losses that alternate
between 1e308 and -1e308. They are finite, so the loss plot drew them, and
matplotlib's tick arithmetic overflowed (``arange: cannot compute length``):
the whole submission failed to grade (blank grades).
Must score: 0 on ``ex2_loss`` (these are not the losses of the weights) and
on ``ex2_other_data`` (the losses are wrong there too); every other item in
full, the plot showing the expected curve only.
"""
from _kit import EX2_CELL, cell, perfect_except, with_source

ATTACK = "losses alternating 1e308, -1e308 from an otherwise correct train_nn"


def build(solved, release, ctx):
    source = cell(solved, EX2_CELL).source
    ret = "return weights_input_hidden, weights_hidden_output, np.array(losses)"
    assert ret in source
    return with_source(solved, EX2_CELL, source.replace(
        ret, "return weights_input_hidden, weights_hidden_output, "
        "np.array([1e308, -1e308] * (epochs // 2) + [1e308] * (epochs % 2))"))


EXPECT = {"scores": perfect_except("ex2_loss", "ex2_other_data")}
