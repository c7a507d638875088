"""An endless loop in Example 2's training cell.

Attack: the cell that defines ``train_nn`` never finishes, to stall the grader
(stock nbgrader waits for its timeout, then fails the whole submission).
Must score: Example 1 in full (13 points), Example 2 zero; the cell is
interrupted after the per-cell timeout, skipped on a fresh run, and the
feedback says it did not finish in time.
"""
from _kit import EX2_CELL, cell, earned, ex1_only, with_source

ATTACK = "while True: pass at the end of the cell defining train_nn"


def build(solved, release, ctx):
    nb = ex1_only(solved, release)
    return with_source(nb, EX2_CELL, cell(nb, EX2_CELL).source + "\n\nwhile True:\n    pass\n")


EXPECT = {"scores": earned("ex1"), "message": "did not finish within"}
