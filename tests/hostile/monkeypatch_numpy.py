"""Monkeypatched numpy comparisons.

Attack: ``np.allclose``, ``np.isclose``, ``np.array_equal`` and
``np.testing.assert_allclose`` are replaced so every comparison in the
kernel succeeds. The answers are those of the unsolved release.
Must score: 0 on every item: the comparisons run in the grader's process.
"""
from _kit import ZERO, with_cell

ATTACK = "np.allclose = lambda *a, **k: True (and friends), on the unsolved release"

PATCH = """
import numpy as np
import numpy.testing
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_almost_equal = lambda *a, **k: None
print("NUMPY-PATCHED")
"""


def build(solved, release, ctx):
    return with_cell(release, PATCH, after="setup")


EXPECT = {"scores": ZERO, "present": ["NUMPY-PATCHED"]}
