"""An empty notebook file.

Attack: a zero-byte ``backprop.ipynb`` (stock nbgrader: blank grades).
Must score: 0 on every item, "could not be read: the file is empty".
"""
from _kit import ZERO

ATTACK = "a zero-byte backprop.ipynb"


def build(solved, release, ctx):
    return b""


EXPECT = {"scores": ZERO, "message": "could not be read: the file is empty"}
