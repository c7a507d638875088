"""The notebook is a symbolic link to the instructor's solution.

Attack: ``backprop.ipynb`` in the submission folder is a symbolic link to
``<course>/source/backprop/backprop.ipynb``, the notebook with the
solutions. nbgrader follows it and grades the instructor's answers (26
points) under the student's name.
Must score: 0 on every item, "could not be read: it is a symbolic link";
the link is not followed, so no solution text reaches the student.
"""
from _kit import ZERO, Symlink

ATTACK = "backprop.ipynb -> <course>/source/backprop/backprop.ipynb"


def build(solved, release, ctx):
    target = ctx.course / "source" / "backprop" / "backprop.ipynb"
    return None, {"backprop.ipynb": Symlink(str(target))}


EXPECT = {"scores": ZERO, "message": "could not be read: it is a symbolic link"}
