"""One training's results: the losses belong to the weights, the runs agree."""

import numpy as np
import pytest

from autograder.core.checks import training_run
from autograder.core.compare import TRAINING_ATOL, TRAINING_RTOL
from autograder.core.values import Unavailable
from autograder.plan.reference import ReferenceExpectations
from tests.support import SOLUTIONS_DIR

TOL = dict(rtol=TRAINING_RTOL, atol=TRAINING_ATOL)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    features = rng.normal(size=(40, 6))
    return features, (rng.uniform(size=40) < 0.4).astype(float)


@pytest.fixture(scope="module")
def runs(data):
    train = ReferenceExpectations(SOLUTIONS_DIR).train
    return (tuple(train(*data, 25, 0.5, 2, 21)), tuple(train(*data, 1, 0.5, 2, 21)))


def test_an_honest_training_fits_together(data, runs):
    full, first = runs
    assert training_run.run_problem(full, first, *data, TOL) is None
    assert training_run.run_problem(full, Unavailable("raised"), *data, TOL) is None


def test_made_up_losses_do_not(data, runs):
    full, first = runs
    made_up = (full[0], full[1], np.linspace(0.3, 0.2, 25))
    problem = training_run.run_problem(made_up, first, *data, TOL)
    assert problem.text.startswith("the last loss, 0.2, is not the training MSE")
    assert problem.about_losses and problem.hint == training_run.LOSS_HINT


def test_losses_taken_before_the_update_do_not(data, runs):
    full, first = runs
    before = (full[0], full[1], np.concatenate([[0.31], full[2][:-1]]))
    assert "the last loss" in training_run.run_problem(before, first, *data, TOL).text


def test_runs_that_disagree_do_not(data, runs):
    full, first = runs
    other_start = (first[0], first[1], first[2] * 1.01)
    assert "after one epoch" in training_run.run_problem(full, other_start, *data, TOL).text
    train = ReferenceExpectations(SOLUTIONS_DIR).train
    reseeded = tuple(train(*data, 1, 0.5, 2, 22))
    problem = training_run.run_problem(full, reseeded, *data, TOL)
    assert "asked for one epoch" in problem.text and not problem.about_losses
    assert "np.random.seed(seed)" in problem.hint and "`epochs`" in problem.hint


def test_unusable_weights_are_left_to_the_other_checks(data, runs):
    full, first = runs
    assert training_run.run_problem((full[0].T, full[1], full[2]), first, *data, TOL) is None
    assert training_run.run_problem(Unavailable("raised"), first, *data, TOL) is None
    unknown = (full[0], full[1], Unavailable("holds a number too large for a float"))
    assert "not one number per epoch" in training_run.run_problem(unknown, first, *data,
                                                                  TOL).text


def test_only_a_finite_curve_of_the_right_length_is_judged_by_the_relations():
    assert training_run.judges_losses(np.ones(5), 5)
    assert not training_run.judges_losses(np.ones(4), 5)
    assert not training_run.judges_losses([1.0, np.nan, 1, 1, 1], 5)
    assert not training_run.judges_losses(Unavailable("x"), 5)
