"""No notebook in the submission folder.

Attack: the folder holds only a stray file (``notes.txt``), no
``backprop.ipynb``. nbgrader matches no notebook, makes no submission and
carries on with the others.
Must score: 0 in total: the student is on the roster, has no submission
(so no blank or manual grade can appear) and every export counts 0; the
rest of the class is graded.
"""
from _kit import ZERO

ATTACK = "a submission folder without the notebook"


def build(solved, release, ctx):
    return None, {"notes.txt": "I forgot to upload my notebook.\n"}


EXPECT = {"scores": ZERO, "missing": True}
