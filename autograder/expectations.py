"""Where expected values come from: the reference solutions or the oracle.

The grader uses :class:`ReferenceExpectations`, which imports
``solutions/reference.py`` by path from the course folder (it is never
installed, never released). A student's self-check uses
:class:`OracleExpectations`, which needs no secret.
"""

import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from . import oracle


def _frame(features, targets):
    features = pd.DataFrame(np.asarray(features, dtype=np.float64))
    targets = pd.Series(np.asarray(targets, dtype=np.float64), index=features.index)
    return features, targets


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class OracleExpectations:
    """Expected values by centred finite differences."""

    name = "finite differences"
    training_mistakes = oracle.ORACLE_TRAINING_MISTAKES

    def train_variant(self, mistake, features, targets, epochs, learnrate, n_hidden, seed):
        return oracle.train_variant(features, targets, epochs, learnrate, n_hidden, seed, mistake)

    def backprop_step(self, **inputs):
        return oracle.backprop_step(**inputs)

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        return oracle.train(features, targets, epochs, learnrate, n_hidden, seed)


class ReferenceExpectations:
    """Expected values from the instructor's reference solutions."""

    name = "reference solution"

    def __init__(self, solutions_dir):
        path = Path(solutions_dir) / "reference.py"
        self.files = [path, Path(solutions_dir) / "mistakes.py"]
        if not path.is_file():
            raise FileNotFoundError(
                f"the reference solutions are missing: {path} (the grader needs the course's "
                "solutions/ folder)"
            )
        self.module = _load(path, "_backprop_reference")
        mistakes = Path(solutions_dir) / "mistakes.py"
        self.mistakes = _load(mistakes, "_backprop_mistakes") if mistakes.is_file() else None
        self.training_mistakes = tuple(self.mistakes.MISTAKES) if self.mistakes else ()

    def fingerprint(self) -> str:
        """sha256 of the solution files: what a cached expected value depends on."""
        digest = hashlib.sha256(self.name.encode())
        for path in self.files:
            digest.update(b"\0" + path.name.encode() + b"\0")
            if path.is_file():
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def train_variant(self, mistake, features, targets, epochs, learnrate, n_hidden, seed):
        frame, series = _frame(features, targets)
        return self.mistakes.train_with_mistake(frame, series, epochs, learnrate, n_hidden=n_hidden,
                                                seed=seed, mistake=mistake)

    def backprop_step(self, **inputs):
        return self.module.backprop_step(**inputs)

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        frame, series = _frame(features, targets)
        return self.module.train_nn(frame, series, epochs, learnrate, n_hidden=n_hidden, seed=seed)
