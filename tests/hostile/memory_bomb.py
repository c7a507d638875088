"""A memory bomb.

Attack: a cell allocates memory until something gives, to make the grading
machine swap or get OOM-killed.
Must score: Example 1 in full (13 points), Example 2 zero: the kernel's
address-space limit (RLIMIT_AS) turns the bomb into a MemoryError in the
student's own cell, and the rest of the notebook is graded.
"""
from _kit import EX2_CELL, earned, ex1_only, with_cell

ATTACK = "allocate 256 MB blocks (and touch them) until the allocation fails"

BOMB = """
blocks = []
try:
    while True:
        blocks.append(bytearray(256 * 2**20))
except MemoryError:
    print("MEMORY-BOMB-STOPPED after", len(blocks), "blocks")
    blocks = None
"""


def build(solved, release, ctx):
    return with_cell(ex1_only(solved, release), BOMB, before=EX2_CELL)


EXPECT = {"scores": earned("ex1"), "present": ["MEMORY-BOMB-STOPPED"]}
