"""A link to ``/dev/zero`` next to the notebook.

Attack: ``big.dat`` links to ``/dev/zero``, endless zeros. Following it,
``backprop grade`` read until memory ran out, and nbgrader's copy wrote
until the disk was full.
Must score: full marks (26) on the solved notebook, in both graders: the
link is never followed.
"""
from _kit import PERFECT, Symlink

ATTACK = "big.dat -> /dev/zero"


def build(solved, release, ctx):
    return solved, {"big.dat": Symlink("/dev/zero")}


EXPECT = {"scores": PERFECT, "no_files": ["big.dat"]}
