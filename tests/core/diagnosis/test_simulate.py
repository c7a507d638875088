"""The vectorised training of every candidate, checked against code written by hand."""

import numpy as np
import pandas as pd
import pytest

from autograder.core.diagnosis import simulate, training
from autograder.plan.loader import load_solution
from tests.support import SOLUTIONS_DIR

#: solutions/mistakes.py's names and the model's edit that is the same slip.
BY_HAND = {
    None: "",
    "no_learnrate": "updates.drop:eta",
    "no_averaging": "updates.drop:inv_n",
    "uphill_update": "updates.sign",
    "update_every_record": "loop.update_every_record",
    "accumulators_not_reset": "loop.accumulators_not_reset",
    "no_hidden_derivative": "hidden_error_term.drop:fp_h",
    "no_output_derivative": "output_error_term.drop:fp_ho",
    "derivative_of_activation": "output_error_term.swap:fp_ho>fp_yhat",
    "derivative_of_activation/hidden": "hidden_error_term.swap:fp_h>fp_a",
}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    features = rng.normal(size=(17, 5))
    return features, (rng.uniform(size=17) < 0.5).astype(float)


@pytest.fixture(scope="module")
def trainings():
    return training.all_trainings()


@pytest.fixture(scope="module")
def predictions(data, trainings):
    return simulate.run(trainings, *data, 6, 0.3, 3, seed=5)


def test_every_candidate_trains_as_the_code_written_by_hand(data, trainings, predictions):
    mistakes = load_solution(SOLUTIONS_DIR, "mistakes")
    rows = {t.key: k for k, t in enumerate(trainings)}
    frame, series = pd.DataFrame(data[0]), pd.Series(data[1])
    for name, key in BY_HAND.items():
        w1, w2, losses = mistakes.train_with_mistake(frame, series, 6, 0.3, 3, 5, mistake=name)
        k = rows[key]
        assert predictions.simulated[k], key
        np.testing.assert_allclose(predictions.w1[k], w1, rtol=1e-10, err_msg=key)
        np.testing.assert_allclose(predictions.w2[k], w2, rtol=1e-10, err_msg=key)
        np.testing.assert_allclose(predictions.losses[k], losses, rtol=1e-10, err_msg=key)


def test_the_correct_training_is_the_reference(reference, data, predictions):
    w1, w2, losses = reference.train_nn(pd.DataFrame(data[0]), pd.Series(data[1]), 6, 0.3, 3, 5)
    np.testing.assert_allclose(predictions.w1[0], w1, rtol=1e-12)
    np.testing.assert_allclose(predictions.w2[0], w2, rtol=1e-12)
    np.testing.assert_allclose(predictions.losses[0], losses, rtol=1e-12)


def test_a_candidate_that_raises_is_known_by_numpys_error(trainings, predictions):
    rows = {t.key: k for k, t in enumerate(trainings)}
    assert predictions.raised[rows["step_i_h.no_column"]] == {((3,), (5,))}
    assert ((3,), (3,), (5,)) in predictions.raised[rows["step_h_o.swap:a>x"]]
    assert not predictions.simulated[rows["step_i_h.no_column"]]
    assert predictions.raised[0] is None


def test_long_runs_may_leave_out_the_record_by_record_trainings(data, trainings):
    quick = simulate.run(trainings, *data, 6, 0.3, 3, seed=5, sequential=False)
    sequential = [k for k, t in enumerate(trainings) if t.sequential]
    assert sequential and not quick.simulated[sequential].any()
    assert quick.simulated[0]
    outline = simulate.run(trainings, *data, 6, 0.3, 3, seed=5, train=False)
    assert not outline.simulated.any() and outline.raised == quick.raised


def test_a_candidate_whose_values_change_shape_trains_in_a_stack_of_its_own(data, trainings,
                                                                          predictions):
    """δᵒ with the hidden layer's slope is a vector: the stack cannot hold it."""
    k = [t.key for t in trainings].index("output_error_term.swap:fp_ho>fp_h")
    features, targets = data
    w1, w2 = simulate.initial_weights(5, 3, 5)
    for _ in range(6):   # the same slip, written out
        h = features @ w1
        a = 1 / (1 + np.exp(-h))
        out = 1 / (1 + np.exp(-(a @ w2)))
        d_o = (targets - out)[:, None] * a * (1 - a)
        d_h = d_o * w2 * a * (1 - a)
        w1 = w1 + 0.3 * features.T @ d_h / 17
        w2 = w2 + 0.3 * (d_o * a).sum(axis=0) / 17
    np.testing.assert_allclose(predictions.w1[k], w1, rtol=1e-10)
    np.testing.assert_allclose(predictions.w2[k], w2, rtol=1e-10)
