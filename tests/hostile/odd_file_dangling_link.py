"""A symbolic link to nothing next to the notebook.

Attack: ``data.csv`` is a link whose target does not exist. ``backprop
grade`` read every file of every student up front, following links: this
one made the whole run exit 2 before anyone was graded.
Must score: full marks (26) on the solved notebook, in both graders: the
link is hashed as a link and left out of the copy.
"""
from _kit import PERFECT, Symlink

ATTACK = "data.csv -> a path that does not exist"


def build(solved, release, ctx):
    return solved, {"data.csv": Symlink("/nonexistent/backprop/data.csv")}


EXPECT = {"scores": PERFECT, "no_files": ["data.csv"]}
