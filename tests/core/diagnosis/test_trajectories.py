"""Example 2's finder: a training named only when one family reproduces all of it."""

import numpy as np
import pytest

from autograder.core.diagnosis import trajectories
from autograder.core.values import Unavailable


@pytest.fixture(scope="module")
def runs():
    rng = np.random.default_rng(8)
    out = []
    for n_records, n_features, n_hidden, epochs in ((20, 4, 2, 1), (20, 4, 2, 5), (9, 3, 3, 4)):
        features = rng.normal(size=(n_records, n_features))
        targets = (rng.uniform(size=n_records) < 0.5).astype(float)
        out.append(trajectories.predict(features, targets, epochs, 0.4, n_hidden, seed=3))
    return out


def student(runs, key, *, keep=(0, 1, 2)):
    """What a student whose slip is ``key`` hands over on each run."""
    observations = []
    for predictions in runs:
        k = predictions.keys.index(key)
        if predictions.raised[k] is not None:
            shapes = " ".join(str(s).replace(" ", "") for s in min(predictions.raised[k]))
            got = Unavailable(f"raised ValueError: operands could not be broadcast together "
                              f"with shapes {shapes}")
        else:
            got = tuple(a[k] if i in keep else None
                        for i, a in enumerate(predictions.arrays()[:3]))
        observations.append((got, predictions))
    return observations


def test_the_correct_training_is_no_mistake(runs):
    assert trajectories.training_mistake(student(runs, "")) is None


def test_each_family_is_named_from_its_own_training(runs):
    for key in sorted(set(runs[0].keys) - {""}):
        mistake = trajectories.training_mistake(student(runs, key))
        assert mistake is not None and mistake.name == key, key


def test_two_slips_that_raise_the_same_error_everywhere_are_not_named():
    """x in place of the activations in del_w_hidden_output, written `acc = acc + step`,
    raises exactly like x not made a column in del_w_input_hidden, whenever n_features is
    not n_hidden (with n_features = n_hidden neither raises, and the values tell)."""
    rng = np.random.default_rng(1)
    runs = [trajectories.predict(rng.normal(size=(8, f)), np.ones(8), 2, 0.4, h, seed=1)
            for f, h in ((6, 2), (4, 3))]
    observations = [(Unavailable(f"raised ValueError: operands could not be broadcast together "
                                 f"with shapes ({h},) ({f},) "), p)
                    for p, (f, h) in zip(runs, ((6, 2), (4, 3)))]
    assert trajectories.training_mistake(observations) is None
    in_place = [(Unavailable(f"raised ValueError: operands could not be broadcast together with "
                             f"shapes ({h},) ({f},) ({h},) "), p)
                for p, (f, h) in zip(runs, ((6, 2), (4, 3)))]
    assert trajectories.training_mistake(in_place).name == "ex2.step_h_o.swap:a>x"


def test_the_losses_alone_name_a_loss_slip(runs):
    mistake = trajectories.training_mistake(student(runs, "ex2.loss.half", keep=(2,)))
    assert mistake.name == "ex2.loss.half"


def test_an_observation_no_family_fits_is_said_plainly(runs):
    observations = student(runs, "ex2.updates.drop:eta")
    w1, w2, losses = observations[1][0]
    observations[1] = ((w1 * 1.01, w2, losses), observations[1][1])
    mistake = trajectories.training_mistake(observations)
    assert mistake.name == "" and mistake.hint.startswith("No common mistake gives this training")


def test_one_epoch_alone_can_leave_two_families_apart_only_with_more_runs(runs):
    """Dividing by the epochs is the same as not averaging when there is one epoch."""
    first_only = student(runs, "ex2.updates.swap:inv_n>inv_epochs")[:1]
    assert trajectories.training_mistake(first_only).name == ""
    assert trajectories.training_mistake(student(runs, "ex2.updates.swap:inv_n>inv_epochs")) \
        .name == "ex2.updates.swap:inv_n>inv_epochs"


def test_nothing_handed_over_is_no_diagnosis(runs):
    assert trajectories.training_mistake([(Unavailable("timed out"), runs[0])]) is None
    assert trajectories.training_mistake([]) is None


def test_an_unsimulated_candidate_is_neither_confirmed_nor_refuted(runs):
    """The full run leaves out the trainings that update after every record: what they
    hand over there is judged by their other runs."""
    observations = student(runs, "ex2.loop.update_every_record")
    quick = trajectories.predict(np.zeros((3, 4)), np.zeros(3), 5, 0.4, 2, 3, sequential=False)
    k = quick.keys.index("ex2.loop.update_every_record")
    assert not quick.simulated[k]
    unsimulated = (np.ones((4, 2)), np.ones(2), np.ones(5))
    mistake = trajectories.training_mistake(observations + [(unsimulated, quick)])
    assert mistake.name == "ex2.loop.update_every_record"
    # for a simulated slip the same observation is a contradiction
    observations = student(runs, "ex2.updates.drop:eta")
    assert trajectories.training_mistake(observations + [(unsimulated, quick)]).name == ""
