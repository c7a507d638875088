"""Tampered nbgrader metadata: flags, copies and a made-up grade cell.

Attack: on the unsolved release, the ``ex1_error`` check cell is unmarked as
a grade cell, ``ex1_hidden_error`` is marked as a manually graded answer,
the locked setup cell is duplicated (as a copy-paste in Jupyter does), and
a new cell claims to be a grade cell "bonus" worth 100 points. Stock
nbgrader fails such a submission (blank grades) or would need manual
grading.
Must score: 0 on every item, all twelve graded automatically (no blank
grade, nothing "needs manual grading", no "bonus" grade).
"""
import copy

import nbformat
from _kit import ZERO, cell, index_of

ATTACK = "grade: false / solution: true on check cells, a copied locked cell, a fake 100-point cell"


def build(solved, release, ctx):
    nb = copy.deepcopy(release)
    cell(nb, "ex1_error").metadata.nbgrader["grade"] = False
    cell(nb, "ex1_hidden_error").metadata.nbgrader["solution"] = True
    setup = index_of(nb, "setup")
    nb.cells.insert(setup + 1, copy.deepcopy(nb.cells[setup]))
    nb.cells[setup + 1]["id"] = "copied-setup"
    bonus = nbformat.v4.new_code_cell("print('BONUS')")
    bonus.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                  "grade_id": "bonus", "points": 100, "schema_version": 3}
    nb.cells.append(bonus)
    return nb


EXPECT = {"scores": ZERO}
