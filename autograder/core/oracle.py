"""An independent oracle: the expected values from centred finite differences.

Nothing here is the reference solution. Every quantity of a backpropagation
step is minus a derivative of the squared error, so it can be measured
numerically from the forward pass alone:

* ``error``             = -dE/dŷ
* ``output_error_term`` = -dE/dh_o
* ``hidden_error``      = -dE/da   (the hidden activations)
* ``hidden_error_term`` = -dE/dh   (the hidden inputs)
* ``delta_w_h_o``       = -η dE/dW2
* ``delta_w_i_h``       = -η dE/dW1

with ``E = ½ (y - ŷ)²``. Training follows the same rule with the mean of E
over the records. Students' self-checks use this module, because it needs no
secret; the tests use it to cross-check the reference solutions.
"""

import numpy as np

#: Step of the centred differences. With float64 and values of order one,
#: 1e-6 keeps both truncation (≈ step²) and cancellation (≈ 1e-16 / step) small.
STEP = 1e-6


def sigmoid(h):
    return 1.0 / (1.0 + np.exp(-h))


def centred_gradient(function, point, step=STEP):
    """Gradient of a scalar ``function`` at ``point`` by centred differences."""
    point = np.array(point, dtype=np.float64)
    gradient = np.zeros_like(point)
    flat, grad = point.reshape(-1), gradient.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + step
        upper = function(point)
        flat[i] = saved - step
        lower = function(point)
        flat[i] = saved
        grad[i] = (upper - lower) / (2 * step)
    return gradient


def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    """The six quantities of one step, all measured by finite differences."""
    x = np.asarray(x, dtype=np.float64)
    w1 = np.asarray(weights_input_hidden, dtype=np.float64)
    w2 = np.asarray(weights_hidden_output, dtype=np.float64)

    def loss_from_output(y_hat):
        return 0.5 * (target - y_hat) ** 2

    def from_output_input(h_o):
        return loss_from_output(sigmoid(h_o))

    def from_hidden_activation(a):
        return from_output_input(np.dot(a, w2))

    def from_hidden_input(h):
        return from_hidden_activation(sigmoid(h))

    hidden_input = np.dot(x, w1)
    hidden_activation = sigmoid(hidden_input)
    output_input = np.dot(hidden_activation, w2)
    output = sigmoid(output_input)

    error = -centred_gradient(loss_from_output, output)
    output_error_term = -centred_gradient(from_output_input, output_input)
    hidden_error = -centred_gradient(from_hidden_activation, hidden_activation)
    hidden_error_term = -centred_gradient(from_hidden_input, hidden_input)
    delta_w_h_o = -learnrate * centred_gradient(
        lambda w: loss_from_output(sigmoid(np.dot(hidden_activation, w))), w2
    )
    delta_w_i_h = -learnrate * centred_gradient(
        lambda w: from_hidden_input(np.dot(x, w)), w1
    )
    return error, output_error_term, hidden_error, hidden_error_term, delta_w_h_o, delta_w_i_h


def initial_weights(n_features, n_hidden, seed):
    """The starting weights the notebook draws (same stream as ``np.random.seed``)."""
    generator = np.random.RandomState(seed)
    scale = 1 / n_features ** 0.5
    first = generator.normal(scale=scale, size=(n_features, n_hidden))
    second = generator.normal(scale=scale, size=n_hidden)
    return first, second


def predict(features, weights_input_hidden, weights_hidden_output):
    hidden = sigmoid(np.dot(np.asarray(features, dtype=np.float64), weights_input_hidden))
    return sigmoid(np.dot(hidden, weights_hidden_output))


def mean_squared_error(features, targets, w1, w2):
    return float(np.mean((predict(features, w1, w2) - np.asarray(targets, dtype=np.float64)) ** 2))


def train(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    """Batch gradient descent with finite-difference gradients.

    Returns ``(weights_input_hidden, weights_hidden_output, losses)`` like the
    notebook's ``train_nn``: one averaged step per epoch, then the mean squared
    error over all records.
    """
    features = np.asarray(features, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    n_features = features.shape[1]
    w1, w2 = initial_weights(n_features, n_hidden, seed)
    split = w1.size

    def half_mean_squared_error(params):
        first = params[:split].reshape(w1.shape)
        second = params[split:]
        return 0.5 * np.mean((targets - predict(features, first, second)) ** 2)

    losses = []
    params = np.concatenate([w1.ravel(), w2])
    for _ in range(epochs):
        params = params - learnrate * centred_gradient(half_mean_squared_error, params)
        w1, w2 = params[:split].reshape(w1.shape), params[split:]
        losses.append(mean_squared_error(features, targets, w1, w2))
    return w1.copy(), w2.copy(), np.array(losses)


def accuracy(features_test, targets_test, weights_input_hidden, weights_hidden_output):
    """Share of records whose prediction ``> 0.5`` matches the 0/1 target."""
    predictions = predict(features_test, weights_input_hidden, weights_hidden_output) > 0.5
    return float(np.mean(predictions == np.asarray(targets_test)))


def forward(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    """The forward pass of Example 1 (given code in the notebook, so public)."""
    x = np.asarray(x, dtype=np.float64)
    hidden_input = np.dot(x, weights_input_hidden)
    hidden_activation = sigmoid(hidden_input)
    output_input = np.dot(hidden_activation, weights_hidden_output)
    return {
        "x": x,
        "learnrate": float(learnrate),
        "hidden_input": hidden_input,
        "hidden_activation": hidden_activation,
        "output_input": float(output_input),
        "output": float(sigmoid(output_input)),
    }


def sigmoid_slope(z):
    """σ(z)(1 − σ(z)), the sigmoid's derivative at z."""
    s = sigmoid(np.asarray(z, dtype=np.float64))
    return s * (1 - s)
