"""Reference solutions for the backpropagation unit (instructors only).

These are the completed versions of the two functions students fill in. The
grader imports this file by path at grading time; it is never part of the
release or of the installed ``autograder`` package.
"""

import numpy as np


def sigmoid(x):
    """Logistic function."""
    return 1 / (1 + np.exp(-x))


def sigmoid_prime(x):
    """Derivative of the logistic function, taken at the input ``x``."""
    return sigmoid(x) * (1 - sigmoid(x))


def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    """One backpropagation step; returns the six TODO quantities in order."""
    hidden_layer_input = np.dot(x, weights_input_hidden)
    hidden_layer_output = sigmoid(hidden_layer_input)
    output_layer_in = np.dot(hidden_layer_output, weights_hidden_output)
    output = sigmoid(output_layer_in)

    error = target - output
    output_error_term = error * sigmoid_prime(output_layer_in)
    hidden_error = np.dot(output_error_term, weights_hidden_output)
    hidden_error_term = hidden_error * sigmoid_prime(hidden_layer_input)
    delta_w_h_o = learnrate * output_error_term * hidden_layer_output
    delta_w_i_h = learnrate * hidden_error_term * x[:, None]
    return error, output_error_term, hidden_error, hidden_error_term, delta_w_h_o, delta_w_i_h


def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    """Train the 2-layer network with batch gradient descent.

    Returns ``(weights_input_hidden, weights_hidden_output, losses)`` where
    ``losses[e]`` is the mean squared error over all training records after
    epoch ``e``.
    """
    np.random.seed(seed)
    n_records, n_features = features.shape
    weights_input_hidden = np.random.normal(scale=1 / n_features ** .5,
                                            size=(n_features, n_hidden))
    weights_hidden_output = np.random.normal(scale=1 / n_features ** .5,
                                             size=n_hidden)
    losses = []
    for e in range(epochs):
        del_w_input_hidden = np.zeros(weights_input_hidden.shape)
        del_w_hidden_output = np.zeros(weights_hidden_output.shape)
        for x, y in zip(features.values, targets):
            hidden_input = np.dot(x, weights_input_hidden)
            hidden_output = sigmoid(hidden_input)
            output = sigmoid(np.dot(hidden_output, weights_hidden_output))

            error = y - output
            output_error_term = error * output * (1 - output)
            hidden_error = np.dot(output_error_term, weights_hidden_output)
            hidden_error_term = hidden_error * hidden_output * (1 - hidden_output)
            del_w_hidden_output += output_error_term * hidden_output
            del_w_input_hidden += hidden_error_term * x[:, None]

        weights_input_hidden += learnrate * del_w_input_hidden / n_records
        weights_hidden_output += learnrate * del_w_hidden_output / n_records

        hidden = sigmoid(np.dot(features.values, weights_input_hidden))
        out = sigmoid(np.dot(hidden, weights_hidden_output))
        losses.append(float(np.mean((out - targets.values) ** 2)))
    return weights_input_hidden, weights_hidden_output, np.array(losses)


def accuracy(weights_input_hidden, weights_hidden_output, features_test, targets_test):
    """Share of test records whose thresholded prediction matches the target."""
    hidden = sigmoid(np.dot(np.asarray(features_test, float), weights_input_hidden))
    out = sigmoid(np.dot(hidden, weights_hidden_output))
    return float(np.mean((out > 0.5) == np.asarray(targets_test)))
