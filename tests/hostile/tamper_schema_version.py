"""An nbgrader ``schema_version`` that nbgrader refuses.

Attack: one cell's nbgrader metadata says ``schema_version: 1`` (another
says 99). Stock nbgrader raises SchemaTooOldError / SchemaTooNewError, which
``nbgrader autograde`` treats as fatal: it stops, and every student after
this one (in alphabetical order) is never graded.
Must score: 0 on every item (unsolved release), and the rest of the class is
graded (the test checks every student).
"""
import copy

from _kit import ZERO, cell

ATTACK = "schema_version 1 on the setup cell and 99 on a check cell"


def build(solved, release, ctx):
    nb = copy.deepcopy(release)
    cell(nb, "setup").metadata.nbgrader["schema_version"] = 1
    cell(nb, "ex2_loss").metadata.nbgrader["schema_version"] = 99
    return nb


EXPECT = {"scores": ZERO}
