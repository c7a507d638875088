"""Deleted check cells.

Attack: the ``ex1_error`` and ``ex1_other_inputs`` check cells are deleted,
in the hope that a missing check cannot fail (stock nbgrader 0.9.6 fails the
submission with a KeyError when it tries to put them back, or, without
``add_missing_cells``, simply never grades them). On a notebook with
Example 1 solved.
Must score: the other five Example 1 items (9 points); the two deleted cells
are put back and score 0, and the feedback says they were deleted.
"""
import copy

from _kit import earned, ex1_only, grade_id

ATTACK = "delete the ex1_error and ex1_other_inputs check cells"


def build(solved, release, ctx):
    nb = copy.deepcopy(ex1_only(solved, release))
    nb.cells = [c for c in nb.cells if grade_id(c) not in ("ex1_error", "ex1_other_inputs")]
    return nb


EXPECT = {"scores": earned("ex1_output_error_term", "ex1_hidden_error", "ex1_hidden_error_term",
                           "ex1_delta_w_h_o", "ex1_delta_w_i_h"),
          "message": "deleted"}
