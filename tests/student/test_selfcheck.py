"""The notebook's own checks name the same slips as the grader, from public information:
the article's inputs, the model, and networks and data sets they draw themselves."""

import sys

import numpy as np
import pandas as pd
import pytest

from autograder.core.course import EX1_INPUTS, EX1_QUANTITIES, EX2_LEARNRATE
from autograder.core.diagnosis.evaluation import network, step_values
from autograder.core.diagnosis.model import slope
from autograder.student import selfcheck


def slipped_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    """backprop_step with f′ taken at the output instead of its input."""
    ns = step_values(network(x, target, learnrate, weights_input_hidden, weights_hidden_output))
    output_error_term = ns["error"] * slope(ns["y_hat"])
    hidden_error = output_error_term * ns["W2"]
    hidden_error_term = hidden_error * ns["a"] * (1 - ns["a"])
    return (ns["error"], output_error_term, hidden_error, hidden_error_term,
            learnrate * output_error_term * ns["a"],
            learnrate * hidden_error_term * ns["x"][:, None])


@pytest.fixture
def notebook(monkeypatch):
    """The notebook's namespace: what the check cells find in ``__main__``."""
    space = sys.modules["__main__"].__dict__
    values = dict(zip(EX1_QUANTITIES, slipped_step(**EX1_INPUTS)))
    for name, value in dict(values, backprop_step=slipped_step).items():
        monkeypatch.setitem(space, name, value)
    return values


def test_a_quantity_is_named_and_the_later_ones_earn_method_marks(notebook, capsys):
    selfcheck.ex1_quantity("output_error_term", notebook["output_error_term"])
    out = capsys.readouterr().out
    assert "diagnosis: Example 1, output error term δᵒ: f′(ŷ) in place of f′(hₒ)" in out
    assert "uses the sigmoid's slope taken at the output, f′(ŷ)" in out
    selfcheck.ex1_quantity("hidden_error", notebook["hidden_error"])
    assert "error carried forward" in capsys.readouterr().out


def test_other_networks_name_the_same_slip(notebook, capsys):
    selfcheck.ex1_other_inputs(slipped_step, seed=3)
    assert "diagnosis: Example 1, output error term δᵒ: f′(ŷ) in place of f′(hₒ)" in \
        capsys.readouterr().out


def test_zeros_earn_no_method_marks_in_the_notebook_either(monkeypatch, capsys):
    def zeros(x, target, learnrate, weights_input_hidden, weights_hidden_output):
        hidden = np.zeros(np.shape(weights_hidden_output))
        return 0.0, 0.0, hidden, hidden, hidden, np.zeros(np.shape(weights_input_hidden))
    space = sys.modules["__main__"].__dict__
    for name, value in dict(zip(EX1_QUANTITIES, zeros(**EX1_INPUTS)), backprop_step=zeros).items():
        monkeypatch.setitem(space, name, value)
    selfcheck.ex1_quantity("hidden_error", space["hidden_error"])
    out = capsys.readouterr().out
    assert "[FAIL]" in out and "carried forward" not in out


def no_learnrate_training(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    """train_nn with the learning rate left out of both updates, vectorised."""
    np.random.seed(seed)
    x, y = np.asarray(features, float), np.asarray(targets, float)
    w1 = np.random.normal(scale=1 / x.shape[1] ** .5, size=(x.shape[1], n_hidden))
    w2 = np.random.normal(scale=1 / x.shape[1] ** .5, size=n_hidden)
    losses = []
    for _ in range(epochs):
        a = 1 / (1 + np.exp(-(x @ w1)))
        out = 1 / (1 + np.exp(-(a @ w2)))
        d_o = (y - out) * out * (1 - out)
        d_h = np.outer(d_o, w2) * a * (1 - a)
        w1 = w1 + x.T @ d_h / len(x)
        w2 = w2 + a.T @ d_o / len(x)
        a = 1 / (1 + np.exp(-(x @ w1)))
        losses.append(float(np.mean((1 / (1 + np.exp(-(a @ w2))) - y) ** 2)))
    return w1, w2, np.array(losses)


def test_a_training_slip_is_named_on_the_first_epoch_and_on_other_data(capsys):
    rng = np.random.default_rng(0)
    features = pd.DataFrame(rng.normal(size=(40, 6)))
    targets = pd.Series((rng.uniform(size=40) < 0.4).astype(float))
    selfcheck.ex2_first_epoch(no_learnrate_training, features, targets)
    selfcheck.ex2_other_data(no_learnrate_training, seed=1)
    out = capsys.readouterr().out
    assert out.count("diagnosis: Example 2, both weight updates: η left out") == 2, out
    w1, w2, losses = no_learnrate_training(features, targets, 900, EX2_LEARNRATE)
    selfcheck.ex2_final_weights(w1, w2, features, targets)
    selfcheck.ex2_loss(losses, features, targets)
    assert capsys.readouterr().out.count("both weight updates: η left out") == 2
