"""``sys.exit()`` and ``exit()`` in cells.

Attack: ``sys.exit(3)`` (IPython turns it into an error in the cell) and
``exit()`` (the kernel asks to shut down) to end the run early.
Must score: Example 1 in full (13 points), Example 2 zero, as without them.
"""
from _kit import earned, ex1_only, with_cell

ATTACK = "sys.exit(3) in one cell and exit() in the next, right after the setup cell"


def build(solved, release, ctx):
    nb = with_cell(ex1_only(solved, release), "exit()\n", after="setup")
    return with_cell(nb, "import sys\nsys.exit(3)\n", after="setup")


EXPECT = {"scores": earned("ex1")}
