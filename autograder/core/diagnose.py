"""Name the backpropagation mistake behind a wrong value, and carry errors forward.

This is what the checks, the grader, the notebook's self-check and the class
report ask of the mistake finder (:mod:`autograder.core.diagnosis`):

* :class:`StepEvidence`, :func:`carried_forward`, :func:`ex1_mistake` and
  :func:`ex1_function_mistake` for Example 1 (one step on several networks);
* :func:`predict` (once per grading run) and :func:`training_mistake` for
  Example 2 (trainings matched against every candidate slip's training);
* :data:`CATALOGUE`: every mistake the finder can name, by its key, with its
  title (the one name everywhere) and hint.

A diagnosis is only ever attached to a value that is wrong.
"""

import hashlib
from collections.abc import Mapping
from pathlib import Path

from .diagnosis import step, training
from .diagnosis.families import Mistake
from .diagnosis.step import UPSTREAM, StepEvidence
from .diagnosis.trajectories import predict, training_mistake

__all__ = ["CATALOGUE", "UPSTREAM", "Mistake", "StepEvidence", "carried_forward",
           "ex1_function_mistake", "ex1_mistake", "fingerprint", "predict", "title",
           "training_mistake"]


class _Catalogue(Mapping):
    """``{key: Mistake}`` of every family of slips of both examples, built when first read.

    The families are kept; each :class:`Mistake` is made when it is read, so that its
    title and hint are in the language of the reader (:mod:`autograder.i18n`)."""

    def __init__(self):
        self._table = None

    def _families(self) -> dict:
        if self._table is None:
            families = [f for q in UPSTREAM.keys() | {"error"} for f in step.families(q)]
            families += list({f.key: f for f in training.families().values()}.values())
            self._table = {f.key: f for f in families}
        return self._table

    def __getitem__(self, key):
        return self._families()[key].mistake

    def __contains__(self, key):
        return key in self._families()

    def __iter__(self):
        return iter(self._families())

    def __len__(self):
        return len(self._families())


CATALOGUE = _Catalogue()


def title(key: str) -> str:
    """The one name of the mistake ``key`` (the key itself for one the finder does not know)."""
    return CATALOGUE[key].title if key in CATALOGUE else key


def carried_forward(quantity: str, evidence: StepEvidence) -> bool:
    """Whether ``quantity`` follows correctly from the student's own non-degenerate
    upstream value, on more than one network (method marks)."""
    return evidence.carried_forward(quantity)


def ex1_mistake(quantity: str, evidence: StepEvidence) -> Mistake | None:
    """The slip behind a wrong Example 1 ``quantity`` (a :class:`Mistake` without a name
    says why none is named), or ``None`` when there is nothing to say."""
    return evidence.mistake(quantity)


def ex1_function_mistake(evidence: StepEvidence) -> Mistake | None:
    """The named slip that makes ``backprop_step`` wrong on some network, if any."""
    return evidence.function_mistake()


def fingerprint() -> str:
    """sha256 of the finder's code: what its cached simulations depend on."""
    digest = hashlib.sha256(b"backprop-mistake-finder")
    folder = Path(__file__).parent
    for path in sorted((folder / "diagnosis").glob("*.py")) + [folder / "oracle.py"]:
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
