"""A symbolic link to the reference solution next to the notebook.

Attack: the submission folder holds ``leak.txt``, a symbolic link to
``<course>/solutions/reference.py``. nbgrader copies the submission's other
files into the autograded folder, following links, and
``generate_feedback`` copies them on into the feedback the student gets
back: the reference solution comes home with the feedback.
Must score: 0 on every item (unsolved release), and no copy of the linked
file exists in the autograded folder or in the feedback.
"""
from _kit import ZERO, Symlink

ATTACK = "leak.txt -> <course>/solutions/reference.py next to the unsolved notebook"


def build(solved, release, ctx):
    return release, {"leak.txt": Symlink(str(ctx.course / "solutions" / "reference.py"))}


EXPECT = {"scores": ZERO, "feedback": True, "no_files": ["leak.txt"]}
