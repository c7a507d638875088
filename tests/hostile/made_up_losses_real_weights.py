"""A correct training whose losses are made up.

Attack: ``train_nn`` trains correctly but returns ``np.linspace(0.3, 0.2,
epochs)`` instead of the losses it measured: a curve that never increases,
which earned the "non-increasing" point of ``ex2_loss``.
Must score: everything but ``ex2_loss`` (0: these are not the losses of the
returned weights) and ``ex2_other_data`` (its losses are checked there too);
the accuracy counts, because the weights are the expected ones.
"""
from _kit import EX2_CELL, cell, perfect_except, with_source

ATTACK = "correct training, losses replaced by np.linspace(0.3, 0.2, epochs)"


def build(solved, release, ctx):
    source = cell(solved, EX2_CELL).source
    ret = "return weights_input_hidden, weights_hidden_output, np.array(losses)"
    assert ret in source
    return with_source(solved, EX2_CELL, source.replace(
        ret, "return weights_input_hidden, weights_hidden_output, np.linspace(0.3, 0.2, epochs)"))


EXPECT = {"scores": perfect_except("ex2_loss", "ex2_other_data"),
          "message": "not the losses of the training"}
