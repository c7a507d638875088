"""An endless loop that swallows KeyboardInterrupt.

Attack: the training cell loops forever and catches the interrupt the grader
sends at the timeout, so the kernel never becomes idle (nbclient then raises
``CellTimeoutError`` out of the executor: stock nbgrader and a naive
guarded executor fail the submission and leave its grades blank).
Must score: Example 1 in full (13 points), Example 2 zero, "did not finish within".
"""
from _kit import EX2_CELL, cell, earned, ex1_only, with_source

ATTACK = "a loop in the training cell that catches KeyboardInterrupt and carries on"

LOOP = """

import time
while True:
    try:
        time.sleep(0.05)
    except KeyboardInterrupt:
        print("INTERRUPT-SWALLOWED")
"""


def build(solved, release, ctx):
    nb = ex1_only(solved, release)
    return with_source(nb, EX2_CELL, cell(nb, EX2_CELL).source + LOOP)


EXPECT = {"scores": earned("ex1"), "message": "did not finish within"}
