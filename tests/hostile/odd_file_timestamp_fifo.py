"""``timestamp.txt`` is a named pipe.

Attack: nbgrader reads the submission's ``timestamp.txt`` itself, before any
step of the course runs (for late penalties). A FIFO there blocked it for
ever: ``nbgrader autograde`` and ``backprop grade`` hung, and nobody after
this student was graded.
Must score: 0 in total: this student alone is refused (no submission is
recorded, the log says why), and the rest of the class is graded.
"""
from _kit import ZERO, Fifo

ATTACK = "timestamp.txt is a FIFO"


def build(solved, release, ctx):
    return solved, {"timestamp.txt": Fifo()}


EXPECT = {"scores": ZERO, "refused": "its timestamp.txt is not a regular file"}
