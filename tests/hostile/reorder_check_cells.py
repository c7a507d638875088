"""Example 2's check cells moved before the training.

Attack: the five check cells of Example 2 are moved above the cell that
trains the network, so that (in a grader that trusted the cells' outputs)
they would judge stale or missing values. On the solved notebook.
Must score: 26 (perfect): the verdicts use the values read after the whole
notebook has run, so the order of check cells changes nothing.
"""
import copy

from _kit import EX2_IDS, PERFECT, grade_id, index_of

ATTACK = "move the ex2 check cells above the ex2_run training cell"


def build(solved, release, ctx):
    nb = copy.deepcopy(solved)
    checks = [c for c in nb.cells if grade_id(c) in EX2_IDS]
    nb.cells = [c for c in nb.cells if grade_id(c) not in EX2_IDS]
    at = index_of(nb, "ex2_run")
    nb.cells[at:at] = checks
    return nb


EXPECT = {"scores": PERFECT}
