"""The trainings the Example 2 checks compare a notebook with: the oracle's, on the
notebook's own data, and the mistake finder's reading of a training that differs.

Each is computed once per data set and number of epochs (the check cells of one
notebook share them). Like :mod:`.selfcheck`, this module imports the core only
inside its functions (see :mod:`autograder.sandbox.student_package`).
"""

import functools

import numpy as np


@functools.lru_cache(maxsize=4)
def _oracle_training(features_bytes, targets_bytes, shape, epochs):
    from ..core import oracle
    from ..core.course import EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED

    features = np.frombuffer(features_bytes).reshape(shape)
    targets = np.frombuffer(targets_bytes)
    return oracle.train(features, targets, epochs, EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED)


def expected_training(features, targets, epochs=None):
    from ..core.course import EX2_EPOCHS

    epochs = EX2_EPOCHS if epochs is None else epochs
    features = np.ascontiguousarray(features, dtype=np.float64)
    targets = np.ascontiguousarray(targets, dtype=np.float64)
    return _oracle_training(features.tobytes(), targets.tobytes(), features.shape, epochs)


@functools.lru_cache(maxsize=4)
def _slip_trainings(features_bytes, targets_bytes, shape, epochs):
    from ..core import diagnose
    from ..core.course import EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED

    features = np.frombuffer(features_bytes).reshape(shape)
    return diagnose.predict(features, np.frombuffer(targets_bytes), epochs, EX2_LEARNRATE,
                            EX2_N_HIDDEN, EX2_SEED, sequential=epochs == 1)


def training_mistake(got, features, targets, epochs):
    """The finder's reading of one training of the notebook's data (public: the model)."""
    from ..core import diagnose
    from ..core.compare import TRAINING_ATOL, TRAINING_RTOL

    features = np.ascontiguousarray(features, dtype=np.float64)
    targets = np.ascontiguousarray(targets, dtype=np.float64)
    predictions = _slip_trainings(features.tobytes(), targets.tobytes(), features.shape, epochs)
    return diagnose.training_mistake([(got, predictions)], rtol=TRAINING_RTOL,
                                     atol=TRAINING_ATOL)


def initial_weights(features):
    from ..core import oracle
    from ..core.course import EX2_N_HIDDEN, EX2_SEED

    return oracle.initial_weights(np.shape(features)[1], EX2_N_HIDDEN, EX2_SEED)
