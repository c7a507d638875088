"""A determined student copies a finite-difference routine into the notebook.

Attack: no backpropagation at all. ``backprop_step`` measures each quantity
as minus a derivative of the squared error by centred differences, and
``train_nn`` descends gradients measured the same way: written in the
notebook itself, so no course file is needed (the course cannot hide
calculus). It is what the oracle does, copied by hand.
Must score: full marks (26). The grader cannot tell these numbers from
backpropagation's within its tolerances; SECURITY.md says so, and what the
course does about it (the code is in the autograded notebook, for review).
This case measures the gap, and fails if it ever changes unnoticed.
"""
from _kit import EX1_CELL, EX2_CELL, PERFECT, with_source

ATTACK = "backprop_step and train_nn by centred finite differences written in the notebook"

STEP = '''
def _slope(function, point, step=1e-6):
    point = np.array(point, dtype=float)
    slope = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        kept = point[index]
        point[index] = kept + step
        above = function(point)
        point[index] = kept - step
        below = function(point)
        point[index] = kept
        slope[index] = (above - below) / (2 * step)
    return slope


def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    x = np.asarray(x, dtype=float)
    w1 = np.asarray(weights_input_hidden, dtype=float)
    w2 = np.asarray(weights_hidden_output, dtype=float)
    h = np.dot(x, w1)
    a = sigmoid(h)
    h_o = np.dot(a, w2)
    y_hat = sigmoid(h_o)

    def from_y_hat(v):
        return 0.5 * (target - v) ** 2

    def from_h_o(v):
        return from_y_hat(sigmoid(v))

    def from_a(v):
        return from_h_o(np.dot(v, w2))

    def from_h(v):
        return from_a(sigmoid(v))

    error = -float(_slope(from_y_hat, y_hat))
    output_error_term = -float(_slope(from_h_o, h_o))
    hidden_error = -_slope(from_a, a)
    hidden_error_term = -_slope(from_h, h)
    delta_w_h_o = -learnrate * _slope(lambda v: from_h_o(np.dot(a, v)), w2)
    delta_w_i_h = -learnrate * _slope(lambda v: from_h(np.dot(x, v)), w1)
    return error, output_error_term, hidden_error, hidden_error_term, delta_w_h_o, delta_w_i_h
'''

TRAIN = '''
def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    np.random.seed(seed)
    data = np.asarray(features, dtype=float)
    ys = np.asarray(targets, dtype=float)
    n_records, n_features = data.shape
    w1 = np.random.normal(scale=1 / n_features ** .5, size=(n_features, n_hidden))
    w2 = np.random.normal(scale=1 / n_features ** .5, size=n_hidden)

    def predict(first, second):
        return sigmoid(np.dot(sigmoid(np.dot(data, first)), second))

    losses = []
    for _ in range(epochs):
        w1_now, w2_now = w1.copy(), w2.copy()
        w1 = w1 - learnrate * _slope(
            lambda v: 0.5 * np.mean((ys - predict(v, w2_now)) ** 2), w1_now)
        w2 = w2 - learnrate * _slope(
            lambda v: 0.5 * np.mean((ys - predict(w1_now, v)) ** 2), w2_now)
        losses.append(float(np.mean((predict(w1, w2) - ys) ** 2)))
    return w1, w2, losses
'''


def build(solved, release, ctx):
    return with_source(with_source(solved, EX1_CELL, STEP), EX2_CELL, TRAIN)


EXPECT = {"scores": PERFECT}
