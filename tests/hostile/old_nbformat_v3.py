"""A notebook saved in the old nbformat 3.

Attack (or accident): an old Jupyter saved the notebook as nbformat v3, with
worksheets instead of cells. Example 1 is solved.
Must score: Example 1 in full (13 points): the notebook is readable; it is
converted to v4 and graded like any other.
"""
import nbformat
from _kit import earned, ex1_only

ATTACK = "a notebook with Example 1 solved, converted to nbformat 3"


def build(solved, release, ctx):
    return nbformat.writes(nbformat.convert(ex1_only(solved, release), 3)).encode("utf-8")


EXPECT = {"scores": earned("ex1")}
