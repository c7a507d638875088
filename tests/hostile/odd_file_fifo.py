"""A named pipe next to the notebook.

Attack: ``answers.txt`` is a FIFO. Whoever opens it to read waits for a
writer that never comes: ``backprop grade``'s change detection hung there,
before anyone was graded, and nbgrader's copy failed the student.
Must score: full marks (26) on the solved notebook, in both graders: the
FIFO is never opened, only described.
"""
from _kit import PERFECT, Fifo

ATTACK = "answers.txt is a FIFO"


def build(solved, release, ctx):
    return solved, {"answers.txt": Fifo()}


EXPECT = {"scores": PERFECT, "no_files": ["answers.txt"]}
