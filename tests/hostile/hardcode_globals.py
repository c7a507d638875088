"""Example 1's published numbers typed in as globals.

Attack: ``backprop_step`` is left unsolved; a cell after the locked call
sets ``error``, ``output_error_term``, ... to the numbers printed in the
article. Students can always forge their own values this way.
Must score: only the known-number items (``ex1_error`` ... ``ex1_delta_w_i_h``,
10 points); ``backprop_step`` on other inputs and all of Example 2 score 0.
"""
from _kit import EX1_KNOWN, earned, with_cell

ATTACK = "globals set to the article's numbers, function unsolved"


def build(solved, release, ctx):
    lines = [f"{name} = np.array({value.tolist()!r})" for name, value in EX1_KNOWN.items()]
    return with_cell(release, "\n".join(lines) + "\n", after="ex1_run")


EXPECT = {"scores": earned("ex1_known")}
