"""``os._exit(1)`` in a cell.

Attack: kill the kernel outright, hoping the grader gives up on the
submission (stock nbgrader: DeadKernelError, blank grades).
Must score: Example 1 in full (13 points): the kernel is restarted, the
guilty cell skipped, the rest graded; the feedback says the cell crashed the
kernel.
"""
from _kit import earned, ex1_only, with_cell

ATTACK = "os._exit(1) in a cell right after the setup cell"


def build(solved, release, ctx):
    return with_cell(ex1_only(solved, release), "import os\nos._exit(1)\n", after="setup")


EXPECT = {"scores": earned("ex1"), "message": "crashed the kernel"}
