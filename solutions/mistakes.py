"""Common training mistakes, written as plain code (instructors only).

``train_with_mistake`` is the reference ``train_nn`` with one deliberate
mistake switched on. The grader does not use it: the mistake finder
(``autograder/core/diagnosis``) simulates every slip of its model of the
computation. The tests use this independent code to check that simulation,
mistake by mistake. A name may carry a variant after a slash
("derivative_of_activation/hidden"); "…/both" makes the slip in both layers.
"""

import numpy as np



def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))

MISTAKES = (
    "no_learnrate",
    "no_averaging",
    "uphill_update",
    "update_every_record",
    "accumulators_not_reset",
    "no_hidden_derivative",
    "no_output_derivative",
    "derivative_of_activation",
    "derivative_of_activation/hidden",
    "derivative_of_activation/both",
)


def train_with_mistake(features, targets, epochs, learnrate, n_hidden=2, seed=21, mistake=None):
    np.random.seed(seed)
    n_records, n_features = features.shape
    w_ih = np.random.normal(scale=1 / n_features ** .5, size=(n_features, n_hidden))
    w_ho = np.random.normal(scale=1 / n_features ** .5, size=n_hidden)
    rate = 1.0 if mistake == "no_learnrate" else learnrate
    average = 1.0 if mistake == "no_averaging" else 1.0 / n_records
    direction = -1.0 if mistake == "uphill_update" else 1.0
    acc_ih, acc_ho = np.zeros(w_ih.shape), np.zeros(w_ho.shape)
    losses = []
    for _ in range(epochs):
        if mistake != "accumulators_not_reset":
            acc_ih, acc_ho = np.zeros(w_ih.shape), np.zeros(w_ho.shape)
        for x, y in zip(features.values, targets):
            h = np.dot(x, w_ih)
            a = sigmoid(h)
            o_in = np.dot(a, w_ho)
            out = sigmoid(o_in)
            err = y - out
            if mistake == "no_output_derivative":
                d_o = err
            elif mistake in ("derivative_of_activation", "derivative_of_activation/both"):
                d_o = err * sigmoid_prime(out)
            else:
                d_o = err * sigmoid_prime(o_in)
            back = d_o * w_ho
            if mistake == "no_hidden_derivative":
                d_h = back
            elif mistake in ("derivative_of_activation/hidden", "derivative_of_activation/both"):
                d_h = back * sigmoid_prime(a)
            else:
                d_h = back * sigmoid_prime(h)
            if mistake == "update_every_record":
                w_ho = w_ho + learnrate * d_o * a
                w_ih = w_ih + learnrate * d_h * x[:, None]
            else:
                acc_ho = acc_ho + d_o * a
                acc_ih = acc_ih + d_h * x[:, None]
        if mistake != "update_every_record":
            w_ih = w_ih + direction * rate * acc_ih * average
            w_ho = w_ho + direction * rate * acc_ho * average
        hidden = sigmoid(np.dot(features.values, w_ih))
        losses.append(float(np.mean((sigmoid(np.dot(hidden, w_ho)) - targets.values) ** 2)))
    return w_ih, w_ho, np.array(losses)
