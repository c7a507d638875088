"""Families of edits, and what a diagnosis hands to the checks.

Two different edits can give exactly the same values: in Example 2 a flipped
error, a flipped output error term and updates that subtract all move the
weights the same way uphill. Such edits form one *family*, found by
evaluating every edit on a few random probes (networks or data sets of sizes
where nothing coincides by accident); a family is named by its first edit,
and its hint lists every edit in it. The finder names a slip only when
exactly one family reproduces what the student handed over.
"""

from dataclasses import dataclass

import numpy as np

from . import texts
from .evaluation import Broadcast


@dataclass(frozen=True)
class Mistake:
    """A diagnosis: ``name`` is the family's key (empty when no slip is named, the
    hint then saying why), ``title`` the one name students and instructors read.

    Its texts are in the language that was current when it was made: a mistake is made
    where it is shown (:attr:`Family.mistake`, ``CATALOGUE[key]``), never kept across
    readers."""

    name: str
    title: str
    hint: str

    @classmethod
    def unexplained(cls, hint: str) -> "Mistake":
        return cls("", "", hint)


@dataclass(frozen=True)
class Family:
    example: int
    members: tuple

    @property
    def key(self) -> str:
        return f"ex{self.example}.{self.members[0].key}"

    @property
    def mistake(self) -> Mistake:
        """The family's diagnosis, its title and hint in the current language."""
        title, hint = texts.family_title_and_hint(self.key, self.example, self.members)
        return Mistake(self.key, title, hint)


def same_outcome(first, second, rtol=1e-9, atol=1e-12) -> bool:
    """Whether two evaluations agree: the same values, or the same NumPy error."""
    if isinstance(first, Broadcast) or isinstance(second, Broadcast):
        return (isinstance(first, Broadcast) and isinstance(second, Broadcast)
                and first.alternatives == second.alternatives)
    first, second = np.asarray(first), np.asarray(second)
    if first.shape != second.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.isfinite(first) == np.isfinite(second))
                    and np.allclose(first, second, rtol=rtol, atol=atol, equal_nan=True))


def group(edits, outcomes, correct=None) -> list[tuple]:
    """``edits`` in families of equal ``outcomes[i]`` (a list of evaluations each),
    in their first member's order; edits whose outcomes equal ``correct`` are no
    slip at all and are left out."""
    families: list[list] = []
    leaders: list = []
    for edit, outcome in zip(edits, outcomes):
        if correct is not None and all(map(same_outcome, outcome, correct)):
            continue
        for members, leader in zip(families, leaders):
            if all(map(same_outcome, outcome, leader)):
                members.append(edit)
                break
        else:
            families.append([edit])
            leaders.append(outcome)
    return [tuple(members) for members in families]
