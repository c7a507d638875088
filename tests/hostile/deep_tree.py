"""A folder nested 3,000 deep in the submission.

Attack: ``notes/d/d/.../d`` three thousand levels deep next to the notebook.
nbgrader's copy (``os.walk``) raised RecursionError: the student's grades
stayed blank, and ``backprop grade``'s change detection failed the same way.
Must score: full marks (26) on the solved notebook: the copy walks without
recursion, leaves out what is deeper than its bound, and says so in the log.
"""
from _kit import PERFECT, DeepTree

ATTACK = "notes/ nested 3,000 folders deep next to the solved notebook"


def build(solved, release, ctx):
    return solved, {"notes": DeepTree(3000)}


EXPECT = {"scores": PERFECT}
