"""A check cell turned into a Markdown cell.

Attack: on a notebook with Example 1 solved, the ``ex1_error`` check cell is
changed into a Markdown cell (as pressing M in JupyterLab does). nbgrader
silently turned it back into a code cell, so it was graded as if untouched:
full marks, where a deleted check cell scores 0 and the documentation said a
changed one does too.
Must score: the other Example 1 items (12 points); ``ex1_error`` 0, its cell
put back with the message that it was changed into another kind of cell.
"""
from _kit import cell, earned, ex1_only

ATTACK = "the ex1_error check cell's cell_type set to markdown"


def build(solved, release, ctx):
    nb = ex1_only(solved, release)
    check = cell(nb, "ex1_error")
    check.cell_type = "markdown"
    for key in ("outputs", "execution_count"):
        check.pop(key, None)
    return nb


EXPECT = {"scores": earned("ex1_output_error_term", "ex1_hidden_error", "ex1_hidden_error_term",
                           "ex1_delta_w_h_o", "ex1_delta_w_i_h", "ex1_other_inputs"),
          "message": "changed into another kind of cell"}
