"""Example 2: name the slip behind a training, from what every candidate trains.

The grader trains every candidate once per grading run (:func:`predict`, with
the plan) on the data the student's ``train_nn`` is run on: one epoch of the
course data, the full run on it, and each data set drawn for the run. A
student's results on each of them are an *observation*; a family is named
only when it alone reproduces every observation that has values (first-epoch
weights, final weights, loss curve), and no observation contradicts it. A
training that raises is recognised by the NumPy error it raises.
"""

import numpy as np

from .. import compare as cmp
from ..values import Unavailable
from . import texts
from .evaluation import unavailable_shapes
from .families import Mistake
from .simulate import run
from .training import candidates, families


def predict(features, targets, epochs, learnrate, n_hidden, seed, *, sequential=True,
            train=True):
    """:class:`~.training.Predictions` of every candidate on this data (see :func:`.simulate.run`)."""
    pairs = candidates()
    return run([training for training, _ in pairs], features, targets, epochs, learnrate,
               n_hidden, seed, keys=[key for _, key in pairs], sequential=sequential,
               train=train)


def mistake_of(key: str) -> Mistake | None:
    for family in families().values():
        if family.key == key:
            return family.mistake
    return None


def _values(got):
    """An observation's arrays: ``(w1, w2, losses)``, any of them ``None`` when unknown."""
    values = tuple(got) + (None,) * (3 - len(got))
    return tuple(None if v is None or isinstance(v, Unavailable) else cmp.as_array(v)
                 for v in values[:3])


def _agrees(value, predicted, tol):
    """Rows of ``predicted`` (one per candidate) that match ``value``."""
    if value is None or value.shape != predicted.shape[1:]:
        return np.zeros(predicted.shape[0], dtype=bool)
    with np.errstate(all="ignore"):
        close = np.isclose(value, predicted, rtol=tol["rtol"], atol=tol["atol"], equal_nan=True)
    return close.reshape(predicted.shape[0], -1).all(axis=1)


def training_mistake(observations, rtol=cmp.TRAINING_RTOL, atol=cmp.TRAINING_ATOL):
    """The named slip behind ``observations``, ``[(got, predictions)]``: ``got`` is what
    the student's training gave (a tuple of arrays, or an :class:`Unavailable`).

    Returns ``None`` when the training is correct or nothing was handed over, and a
    :class:`Mistake` without a name when no single slip explains it."""
    tol = dict(rtol=rtol, atol=atol)
    alive = positive = None
    seen_values = False
    for got, predictions in observations:
        count = len(predictions.keys)
        alive = np.ones(count, dtype=bool) if alive is None else alive
        positive = np.zeros(count, dtype=bool) if positive is None else positive
        raising = np.array([r is not None for r in predictions.raised])
        if isinstance(got, Unavailable):
            shapes = unavailable_shapes(got)
            if shapes is not None:
                fits = np.array([r is not None and shapes in r for r in predictions.raised])
                alive &= fits
                positive |= fits
            continue
        for value, predicted in zip(_values(got), predictions.arrays()[:3]):
            if value is None:
                continue
            seen_values = True
            ok = _agrees(value, predicted, tol) & predictions.simulated
            alive &= ok | ~(predictions.simulated | raising)
            positive |= ok
    if alive is None:
        return None
    found = {observations[0][1].keys[k] for k in np.flatnonzero(alive & positive)}
    if "" in found:
        return None
    if len(found) == 1:
        return mistake_of(found.pop())
    return Mistake.unexplained(texts.training_unexplained()) if seen_values else None
