"""The reference solutions against the known numbers and against finite differences."""

import numpy as np
import pytest

from autograder.core import oracle
from autograder.core.compare import relative_error
from autograder.core.course import (
    EX1_INPUTS,
    EX1_KNOWN,
    EX1_QUANTITIES,
    EX2_EPOCHS,
    EX2_LEARNRATE,
)


def test_example1_matches_the_known_numbers_to_full_precision(reference):
    values = reference.backprop_step(**EX1_INPUTS)
    for name, value in zip(EX1_QUANTITIES, values):
        assert np.shape(value) == np.shape(EX1_KNOWN[name]), name
        # NOTES.md prints 14 to 17 significant digits
        assert relative_error(np.asarray(value), np.asarray(EX1_KNOWN[name])) < 1e-13, name


def test_example1_output_is_the_known_forward_pass(reference):
    x = EX1_INPUTS["x"]
    hidden = reference.sigmoid(x @ EX1_INPUTS["weights_input_hidden"])
    output = reference.sigmoid(hidden @ EX1_INPUTS["weights_hidden_output"])
    assert output == pytest.approx(0.48497343084992534, rel=1e-15)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_inputs,n_hidden", [(3, 2), (4, 3), (1, 1), (6, 5)])
def test_example1_agrees_with_centred_differences(reference, seed, n_inputs, n_hidden):
    rng = np.random.default_rng(seed)
    inputs = dict(x=rng.uniform(-1, 1, n_inputs), target=rng.uniform(0, 1),
                  learnrate=rng.uniform(0.1, 1),
                  weights_input_hidden=rng.uniform(-1, 1, (n_inputs, n_hidden)),
                  weights_hidden_output=rng.uniform(-1, 1, n_hidden))
    for name, got, numeric in zip(EX1_QUANTITIES, reference.backprop_step(**inputs),
                                  oracle.backprop_step(**inputs)):
        got, numeric = np.asarray(got), np.asarray(numeric)
        assert got.shape == numeric.shape, name
        assert np.allclose(got, numeric, rtol=1e-5, atol=1e-10), name


def test_oracle_catches_a_5_percent_mistake(reference):
    """The wrong derivative (of the activation) is 5.6 % off: far outside the oracle's error."""
    values = reference.backprop_step(**EX1_INPUTS)
    output = 0.48497343084992534
    wrong = values[0] * reference.sigmoid_prime(output)
    assert abs(wrong / values[1] - 1) == pytest.approx(0.056, abs=0.002)
    assert not np.isclose(wrong, oracle.backprop_step(**EX1_INPUTS)[1], rtol=1e-5)


def test_training_agrees_with_finite_difference_training(reference, course_data):
    import pandas as pd

    features = pd.DataFrame(course_data.features)
    targets = pd.Series(course_data.targets)
    w1, w2, losses = reference.train_nn(features, targets, 5, 0.5)
    f1, f2, flosses = oracle.train(course_data.features, course_data.targets, 5, 0.5)
    assert np.allclose(w1, f1, rtol=1e-7) and np.allclose(w2, f2, rtol=1e-7)
    assert np.allclose(losses, flosses, rtol=1e-9)


def test_the_articles_training_run(reference, course_data):
    import pandas as pd

    w1, w2, losses = reference.train_nn(pd.DataFrame(course_data.features),
                                        pd.Series(course_data.targets), EX2_EPOCHS, EX2_LEARNRATE)
    assert oracle.accuracy(course_data.features_test, course_data.targets_test, w1, w2) == 0.725
    assert losses[0] == pytest.approx(0.2686, abs=5e-5)
    assert losses[810] == pytest.approx(0.254, abs=1e-3)
    assert np.all(np.diff(losses) <= 0)
    # predicting "not admitted" for everyone scores 0.650
    assert np.mean(course_data.targets_test == 0) == 0.65
