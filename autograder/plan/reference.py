"""The grader's expected values: the instructor's reference solutions.

:class:`ReferenceExpectations` answers like
:class:`~autograder.core.expectations.OracleExpectations`, from
``solutions/reference.py`` of the course folder
(never installed, never released), loaded by :mod:`autograder.plan.loader`.
"""

import hashlib
from pathlib import Path

import numpy as np

from .loader import load_solution


def _frame(features, targets):
    import pandas as pd  # only when a reference is computed (not when a cache answers)

    features = pd.DataFrame(np.asarray(features, dtype=np.float64))
    targets = pd.Series(np.asarray(targets, dtype=np.float64), index=features.index)
    return features, targets


class ReferenceExpectations:
    """Expected values from the instructor's reference solutions."""

    name = "reference solution"

    def __init__(self, solutions_dir):
        folder = Path(solutions_dir)
        self.files = [folder / "reference.py"]
        self.module = load_solution(folder, "reference")

    def fingerprint(self) -> str:
        """sha256 of the solution files: what a cached expected value depends on."""
        digest = hashlib.sha256(self.name.encode())
        for path in self.files:
            digest.update(b"\0" + path.name.encode() + b"\0")
            if path.is_file():
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def backprop_step(self, **inputs):
        return self.module.backprop_step(**inputs)

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        frame, series = _frame(features, targets)
        return self.module.train_nn(frame, series, epochs, learnrate, n_hidden=n_hidden, seed=seed)
