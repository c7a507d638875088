"""Edited check cells: 100 points, and a check replaced by ``pass``.

Attack: set ``points`` to 100 in the metadata of the ``ex1_error`` check cell
and change the source of the ``ex1_other_inputs`` check to ``pass`` (stock
nbgrader gives a silent cell full marks). On a notebook with Example 1
solved, so the question is only whether the score can exceed what was earned.
Must score: Example 1 in full (13 points, ``ex1_error`` 1 point, not 100),
Example 2 zero: the points and the source come back from the gradebook, and
the assignment's maximum stays 26.
"""
from _kit import cell, earned, ex1_only

ATTACK = "points: 100 on a check cell; another check cell's source set to `pass`"


def build(solved, release, ctx):
    nb = ex1_only(solved, release)
    cell(nb, "ex1_error").metadata.nbgrader["points"] = 100
    cell(nb, "ex1_other_inputs").source = "pass"
    return nb


EXPECT = {"scores": earned("ex1")}
