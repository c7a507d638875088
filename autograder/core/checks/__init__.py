"""One check per graded item, with its messages and hints beside it.

Every check takes what the student produced and what was expected and returns
an :class:`~autograder.core.results.ItemResult`. The checks do not know where
the expected values came from: the grader passes the reference solution's
values, a student's self-check passes the article's known numbers or finite
differences. That is how both show the same messages.
"""

from .common import first_difference
from .example1 import (
                       EX1_SHAPES_HINT,
                       HINTS,
                       SHAPE_HINT,
                       ex1_in_context,
                       ex1_other_inputs,
                       ex1_quantity,
)
from .example2 import (
                       NEVER_TRAINED,
                       TRAINING_HINT,
                       WEIGHT_NAMES,
                       ex2_accuracy,
                       ex2_loss,
                       ex2_other_data,
                       ex2_weights,
                       unchanged,
)

__all__ = ["EX1_SHAPES_HINT", "HINTS", "NEVER_TRAINED", "SHAPE_HINT", "TRAINING_HINT",
           "WEIGHT_NAMES", "ex1_in_context", "ex1_other_inputs", "ex1_quantity", "ex2_accuracy",
           "ex2_loss", "ex2_other_data", "ex2_weights", "first_difference", "unchanged"]
