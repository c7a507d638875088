"""``backprop_step`` returns the article's numbers as constants.

Attack: the function ignores its inputs and returns the six published
values, so Example 1's globals are right and any check that only looked at
the article's network would pass.
Must score: only the known-number items (10 points): on the grader's other
networks the constants are wrong, and Example 2 is unsolved.
"""
from _kit import EX1_CELL, EX1_KNOWN, earned, with_source

ATTACK = "backprop_step returns the published numbers whatever its inputs"


def build(solved, release, ctx):
    values = ", ".join(f"np.array({value.tolist()!r})" for value in EX1_KNOWN.values())
    source = ("def backprop_step(x, target, learnrate, weights_input_hidden, "
              "weights_hidden_output):\n"
              f"    return ({values})\n")
    return with_source(release, EX1_CELL, source)


EXPECT = {"scores": earned("ex1_known")}
