"""Where expected values come from, and the oracle's own source of them.

An *expectations* object answers three questions on any inputs: what one
backpropagation step gives (``backprop_step``), what a training run gives
(``train``) and what a training run with one known mistake gives
(``train_variant``, for each name in ``training_mistakes``). The grader uses
the reference solutions (:class:`autograder.plan.reference.ReferenceExpectations`);
a student's self-check uses :class:`OracleExpectations`, which needs no
secret: every value comes from centred finite differences.
"""

from typing import Protocol

from . import oracle


class Expectations(Protocol):
    name: str
    training_mistakes: tuple

    def backprop_step(self, **inputs) -> tuple: ...

    def train(self, features, targets, epochs, learnrate, n_hidden, seed) -> tuple: ...

    def train_variant(self, mistake, features, targets, epochs, learnrate, n_hidden,
                      seed) -> tuple: ...


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


def training_variants(expectations, features, targets, epochs, learnrate, n_hidden, seed) -> dict:
    """What each known training mistake produces on these inputs."""
    return {mistake: tuple(expectations.train_variant(mistake, features, targets, epochs,
                                                      learnrate, n_hidden, seed))
            for mistake in getattr(expectations, "training_mistakes", ())}
