"""Where expected values come from, and the oracle's own source of them.

An *expectations* object answers two questions on any inputs: what one
backpropagation step gives (``backprop_step``) and what a training run gives
(``train``). (What a training run with a slip gives is the mistake finder's
business, :mod:`autograder.core.diagnosis`.) The grader uses
the reference solutions (:class:`autograder.plan.reference.ReferenceExpectations`);
a student's self-check uses :class:`OracleExpectations`, which needs no
secret: every value comes from centred finite differences.
"""

import hashlib
from pathlib import Path
from typing import Protocol

from . import oracle


class Expectations(Protocol):
    name: str

    def backprop_step(self, **inputs) -> tuple: ...

    def train(self, features, targets, epochs, learnrate, n_hidden, seed) -> tuple: ...


class OracleExpectations:
    """Expected values by centred finite differences."""

    name = "finite differences"

    def fingerprint(self) -> str:
        """sha256 of the oracle's code: what a cached expected value depends on."""
        digest = hashlib.sha256(self.name.encode())
        path = Path(oracle.__file__)
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def backprop_step(self, **inputs):
        return oracle.backprop_step(**inputs)

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        return oracle.train(features, targets, epochs, learnrate, n_hidden, seed)
