"""Reading the instructor's files by relative path.

Attack: from the kernel's working folder, walk up with ``../`` (one to six
levels) to ``solutions/reference.py``, ``source/backprop/backprop.ipynb``
and ``gradebook.db`` (where stock nbgrader runs the kernel: next to the
submission, three levels below the course root), and print what is read.
Must score: 0 on every item; nothing is read (the sandbox's filesystem holds
only the public course files), so no text of the reference solution, the
source notebook or the gradebook appears in the autograded notebook or the
feedback.
"""
from _kit import PROBE, ZERO, with_cell

ATTACK = "open('../../../solutions/reference.py') and friends, printed into the notebook"

TARGETS = ("solutions/reference.py", "source/backprop/backprop.ipynb", "gradebook.db",
           "solutions", "submitted")


def build(solved, release, ctx):
    lines = [PROBE]
    for depth in range(1, 7):
        for target in TARGETS:
            lines.append(f"probe({('../' * depth + target)!r})")
    return with_cell(release, "\n".join(lines) + "\n", after="setup")


EXPECT = {"scores": ZERO, "present": ["DENIED ../../../solutions/reference.py"],
          "absent": ["READ ", "LISTED"], "feedback": True}
