"""An edited locked cell that sets Example 1's answers.

Attack: the locked cell that calls ``backprop_step`` is rewritten to assign
the article's published numbers directly, leaving the function unsolved.
Must score: 0 on every item: locked cells are restored from the gradebook,
so the function's (missing) answers are what the grader sees.
"""
import copy

from _kit import EX1_KNOWN, ZERO, cell

ATTACK = "the locked ex1_run cell assigns the known numbers instead of calling backprop_step"


def build(solved, release, ctx):
    nb = copy.deepcopy(release)
    lines = ["import numpy as np"]
    lines += [f"{name} = np.array({value.tolist()!r})" for name, value in EX1_KNOWN.items()]
    lines.append("print('LOCKED-CELL-EDITED')")
    cell(nb, "ex1_run").source = "\n".join(lines)
    return nb


EXPECT = {"scores": ZERO, "absent": ["LOCKED-CELL-EDITED"]}
