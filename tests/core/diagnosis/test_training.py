"""Example 2's candidates: one per edit, grouped into families of equal trainings."""

import numpy as np
import pytest

from autograder.core.diagnosis import training
from autograder.core.diagnosis.edits import training_edits


def test_there_is_one_candidate_per_edit_and_per_loop_change():
    trainings = training.all_trainings()
    assert trainings[0].edit is None and not trainings[0].edited
    keys = [t.key for t in trainings[1:]]
    assert len(keys) == len(set(keys)) == len(training_edits()) + len(training.LOOP_EDITS)
    every_record = next(t for t in trainings if t.key == "loop.update_every_record")
    assert every_record.sequential and not every_record.edited


def test_edits_that_train_alike_share_a_family():
    families = training.families()
    uphill = families["error.sign"]
    assert uphill.key == "ex2.error.sign"
    assert {m.key for m in uphill.members} == {"error.sign", "output_error_term.sign",
                                                "steps.sign", "updates.sign"}
    assert families["step_i_h.swap:hidden_error_term>hidden_error"].key == \
        "ex2.hidden_error_term.drop:fp_h"
    # different slips stay apart
    assert families["updates.drop:inv_n"].key != families["updates.swap:inv_n>inv_epochs"].key
    assert families["loop.update_every_record"].key != families["loop.update_inside_loop"].key


def test_every_candidate_reports_its_family():
    pairs = training.candidates()
    assert pairs[0] == (training.all_trainings()[0], "")
    assert all(key.startswith("ex2.") for _, key in pairs[1:])


def test_predictions_take_stored_arrays_that_fit_them():
    predictions = training.Predictions(("", "x"), np.zeros((2, 3, 2)), np.zeros((2, 2)),
                                       np.zeros((2, 4)), (None, None), np.array([True, False]))
    again = predictions.with_arrays(predictions.arrays())
    assert list(again.simulated) == [True, False] and again.keys == predictions.keys
    with pytest.raises(ValueError):
        predictions.with_arrays((np.zeros((2, 3, 3)), np.zeros((2, 2)), np.zeros((2, 4)),
                                 np.zeros(2)))
