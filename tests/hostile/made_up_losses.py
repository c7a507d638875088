"""Losses made up to look right.

Attack: ``train_nn`` does not train: it returns the starting weights nudged
by a constant and ``np.linspace(0.27, 0.25, epochs)`` as its losses. They
never increase, which earned the "non-increasing" point of ``ex2_loss``
without any backpropagation.
Must score: Example 1 only (13 points); every Example 2 item 0, the losses
"not the losses of the training".
"""
from _kit import EX2_CELL, earned, with_source

ATTACK = "train_nn returns nudged starting weights and np.linspace(0.27, 0.25, epochs)"

FAKE = '''
def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    np.random.seed(seed)
    n_records, n_features = features.shape
    weights_input_hidden = np.random.normal(scale=1 / n_features ** .5,
                                            size=(n_features, n_hidden)) + 0.01
    weights_hidden_output = np.random.normal(scale=1 / n_features ** .5, size=n_hidden) + 0.01
    return weights_input_hidden, weights_hidden_output, np.linspace(0.27, 0.25, epochs)
'''


def build(solved, release, ctx):
    return with_source(solved, EX2_CELL, FAKE)


EXPECT = {"scores": earned("ex1"), "message": "not the losses of the training"}
