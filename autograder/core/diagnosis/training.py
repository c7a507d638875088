"""Example 2: every way of writing ``train_nn`` with one slip, and what each one trains.

A candidate :class:`Training` is the correct training with one edit: an edit
of one per-record or per-epoch formula (:func:`.edits.training_edits`), or
one change to the loop (where the update happens, when the accumulators are
reset) or to the recorded loss. :mod:`.simulate` runs all of them at once;
:class:`Predictions` holds what each gave on one data set, and
:func:`families` groups the candidates that always give the same training.
"""

import functools
from dataclasses import dataclass, field

import numpy as np

from .edits import Edit, training_edits
from .families import Family, group
from .model import RECORD, UPDATE

#: Where the weights move: once per epoch (correct), after every record (three ways of
#: writing it), or once after the last epoch.
SEQUENTIAL = ("record", "record_averaged", "inside_loop")
LOOP_EDITS = {
    "loop.update_every_record": {"update": "record"},
    "loop.update_every_record_averaged": {"update": "record_averaged"},
    "loop.update_inside_loop": {"update": "inside_loop"},
    "loop.update_after_training": {"update": "end"},
    "loop.accumulators_not_reset": {"reset": "never"},
    "loop.accumulators_reset_every_record": {"reset": "record"},
    "loss.before_update": {"loss": "before_update"},
    "loss.last_record_vs_all": {"loss": "last_record_vs_all"},
    "loss.last_record": {"loss": "last_record"},
    "loss.half": {"loss": "half"},
    "loss.sum": {"loss": "sum"},
}
CORRECT_FORMULAS = {f.quantity: f for f in RECORD + UPDATE}


@dataclass(frozen=True)
class Training:
    """One way of writing the training: its formulas and its loop."""

    edit: Edit | None = None
    formulas: dict = field(default_factory=lambda: dict(CORRECT_FORMULAS), hash=False)
    update: str = "epoch"
    reset: str = "epoch"
    loss: str = "after"

    @property
    def key(self) -> str:
        return self.edit.key if self.edit else ""

    @property
    def sequential(self) -> bool:
        return self.update in SEQUENTIAL

    @property
    def edited(self) -> dict:
        """The formulas that differ from the correct ones."""
        return {q: f for q, f in self.formulas.items() if f is not CORRECT_FORMULAS[q]}


def _training(edit: Edit) -> Training:
    formulas = dict(CORRECT_FORMULAS)
    formulas.update({formula.quantity: formula for formula in edit.formulas})
    return Training(edit, formulas)


@functools.cache
def all_trainings() -> tuple:
    """The correct training first, then one candidate per edit."""
    trainings = [Training()] + [_training(edit) for edit in training_edits()]
    for key, change in LOOP_EDITS.items():
        kind, _ = key.split(".")
        trainings.append(Training(Edit(key, kind, kind), **change))
    return tuple(trainings)


@dataclass
class Predictions:
    """What every candidate training gives on one data set and number of epochs.

    Row ``k`` belongs to ``keys[k]`` (a family key; ``""`` is the correct
    training). ``raised[k]`` holds the NumPy errors the candidate raises
    (sorted shapes), ``simulated[k]`` whether its arrays were computed."""

    keys: tuple
    w1: np.ndarray
    w2: np.ndarray
    losses: np.ndarray
    raised: tuple
    simulated: np.ndarray

    def arrays(self) -> tuple:
        return self.w1, self.w2, self.losses, self.simulated.astype(np.float64)

    def with_arrays(self, arrays) -> "Predictions":
        """These predictions with stored arrays (as :meth:`arrays` gave them)."""
        w1, w2, losses, simulated = arrays
        if w1.shape != self.w1.shape or losses.shape != self.losses.shape:
            raise ValueError("the stored arrays do not fit these candidates")
        return Predictions(self.keys, w1, w2, losses, self.raised, simulated > 0.5)


PROBES = ((9, 3, 2, 3, 0.4), (6, 4, 3, 2, 0.8), (5, 2, 4, 2, 0.6))


@functools.cache
def families() -> dict:
    """``{candidate key: Family}`` for every candidate that is a slip; candidates
    that train exactly like the correct code are no slip and are left out."""
    from .simulate import run

    rng = np.random.default_rng(20261128)
    trainings = all_trainings()
    runs = []
    for n_records, n_features, n_hidden, epochs, learnrate in PROBES:
        features = rng.normal(size=(n_records, n_features))
        targets = (rng.uniform(size=n_records) < 0.5).astype(float)
        runs.append(run(trainings, features, targets, epochs, learnrate, n_hidden,
                        seed=int(rng.integers(1 << 30))))
    outcomes = [[_outcome(result, k) for result in runs] for k in range(len(trainings))]
    grouped = group([t.edit for t in trainings[1:]], outcomes[1:], outcomes[0])
    return {edit.key: Family(2, members) for members in grouped for edit in members}


def _outcome(result, k):
    from .evaluation import Broadcast

    if result.raised[k] is not None:
        return Broadcast(*result.raised[k])
    return np.concatenate([result.w1[k].ravel(), result.w2[k].ravel(), result.losses[k]])


def candidates() -> tuple:
    """The trainings to simulate, with the family key each one reports."""
    table = families()
    return tuple((t, table[t.key].key if t.edit else "") for t in all_trainings()
                 if t.edit is None or t.key in table)
