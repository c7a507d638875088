"""Where expected values come from: the reference solutions or the oracle.

The grader uses :class:`ReferenceExpectations`, which imports
``solutions/reference.py`` by path from the course folder (it is never
installed, never released). A student's self-check uses
:class:`OracleExpectations`, which needs no secret.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from . import oracle


def _frame(features, targets):
    features = pd.DataFrame(np.asarray(features, dtype=np.float64))
    targets = pd.Series(np.asarray(targets, dtype=np.float64), index=features.index)
    return features, targets


class OracleExpectations:
    """Expected values by centred finite differences."""

    name = "finite differences"

    def backprop_step(self, **inputs):
        return oracle.backprop_step(**inputs)

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        return oracle.train(features, targets, epochs, learnrate, n_hidden, seed)


class ReferenceExpectations:
    """Expected values from the instructor's reference solutions."""

    name = "reference solution"

    def __init__(self, solutions_dir):
        path = Path(solutions_dir) / "reference.py"
        if not path.is_file():
            raise FileNotFoundError(
                f"the reference solutions are missing: {path} (the grader needs the course's "
                "solutions/ folder)"
            )
        spec = importlib.util.spec_from_file_location("_backprop_reference", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules.setdefault(spec.name, module)
        spec.loader.exec_module(module)
        self.module = module

    def backprop_step(self, **inputs):
        return self.module.backprop_step(**inputs)

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        frame, series = _frame(features, targets)
        return self.module.train_nn(frame, series, epochs, learnrate, n_hidden=n_hidden, seed=seed)
