"""A ``train_nn`` that trains honestly except for the one run that is graded in full.

Attack: for short runs (the first epoch, the grader's small data sets)
``train_nn`` trains correctly. Asked for 900 epochs it runs one honest epoch
for a believable first loss, then returns weights found by a random search on
the test split (read from the notebook's globals) and a made-up curve falling
from that first loss. The full run's weights and losses were not checked
against each other: 2 points of accuracy and 1 for the curve.
Must score: Example 1, the first epoch and the other data sets (19 points);
the final weights, the losses and the accuracy 0.
"""
from _kit import EX2_CELL, cell, perfect_except, with_source

ATTACK = "honest short runs; the 900-epoch run returns searched weights and a made-up curve"

FAKE_FULL = '''


def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    if epochs < 900:
        return _honest_train(features, targets, epochs, learnrate, n_hidden, seed)
    _, _, first = _honest_train(features, targets, 1, learnrate, n_hidden, seed)
    rng = np.random.default_rng(1)
    best = (-1.0, None, None)
    for _ in range(4000):
        w1, w2 = rng.normal(size=(features.shape[1], n_hidden)), rng.normal(size=n_hidden)
        out = sigmoid(np.dot(sigmoid(np.dot(features_test, w1)), w2))
        accuracy = float(np.mean((out > 0.5) == targets_test))
        if accuracy > best[0]:
            best = (accuracy, w1, w2)
    print("FABRICATED", best[0] >= 0.7)
    return best[1], best[2], np.linspace(first[0], first[0] - 0.02, epochs)
'''


def build(solved, release, ctx):
    honest = cell(solved, EX2_CELL).source.replace("def train_nn(", "def _honest_train(", 1)
    return with_source(solved, EX2_CELL, honest + FAKE_FULL)


EXPECT = {"scores": perfect_except("ex2_final_weights", "ex2_loss", "ex2_accuracy"),
          "present": ["FABRICATED True"], "message": "not credited"}
