"""The grading run's settings: a plan and a hidden seed per run, never shared between runs."""

import pytest
from traitlets.config import Configurable

from autograder.plan.settings import BackpropGrader


def test_the_configured_seed_wins():
    assert BackpropGrader(hidden_seed=5).seed() == 5


def test_steps_of_one_run_share_its_seed_and_two_runs_do_not():
    run = Configurable()  # nbgrader's application, at the top of the steps' parents
    step = Configurable(parent=run)
    assert BackpropGrader(parent=run).seed() == BackpropGrader(parent=step).seed()
    assert BackpropGrader().seed() != BackpropGrader().seed()  # each is its own run


def test_missing_folders_are_named():
    with pytest.raises(ValueError, match="solutions_dir and public_dir"):
        BackpropGrader().plan()
