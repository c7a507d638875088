"""Final weights found by a search on the test split, left in the globals.

Attack: ``train_nn`` is left as released (it never moves the weights). A cell
after the locked training cell draws thousands of random weight pairs, keeps
the pair with the best accuracy on ``features_test``, stores it in
``weights_input_hidden`` / ``weights_hidden_output`` and sets ``losses`` to
a decreasing line. The grader read those globals: 2 points of accuracy and
1 for a loss that never increases, without any backpropagation.
Must score: Example 1 only (13 points); Example 2 is judged on the grader's
own call of ``train_nn``, which does not train.
"""
from _kit import EX2_CELL, cell, earned, with_cell, with_source

ATTACK = "random search on the test split, result written into the notebook's globals"

SEARCH = '''
_rng = np.random.default_rng(0)
_best = (-1.0, None, None)
for _ in range(4000):
    _w1, _w2 = _rng.normal(size=(6, 2)), _rng.normal(size=2)
    _out = sigmoid(np.dot(sigmoid(np.dot(features_test, _w1)), _w2))
    _acc = float(np.mean((_out > 0.5) == targets_test))
    if _acc > _best[0]:
        _best = (_acc, _w1, _w2)
_, weights_input_hidden, weights_hidden_output = _best
losses = np.linspace(0.27, 0.25, epochs)
print("SEARCHED", _best[0] >= 0.7)
'''


def build(solved, release, ctx):
    nb = with_source(solved, EX2_CELL, cell(release, EX2_CELL).source)
    return with_cell(nb, SEARCH, after="ex2_run")


EXPECT = {"scores": earned("ex1"), "present": ["SEARCHED True"]}
