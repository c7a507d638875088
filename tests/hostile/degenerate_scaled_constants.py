"""``backprop_step`` returns twice the article's published numbers, whatever its inputs.

Attack: on the article's network each of these constants is exactly what the
correct formula gives from the constant before it (every quantity is linear in
the one it is built from), so error carried forward used to give every step
after `error` its method marks. The relation must now hold on more than one
network; on the grader's other networks the constants have the wrong values
and shapes.
Must score: 0 everywhere (Example 2 as released).
"""
from _kit import EX1_CELL, EX1_KNOWN, ZERO, with_source

ATTACK = "backprop_step returns 2 x the published values, consistent only on the article's network"


def build(solved, release, ctx):
    values = ", ".join(f"2 * np.array({value.tolist()!r})" for value in EX1_KNOWN.values())
    source = ("def backprop_step(x, target, learnrate, weights_input_hidden, "
              "weights_hidden_output):\n"
              f"    return ({values})\n")
    return with_source(release, EX1_CELL, source)


EXPECT = {"scores": ZERO}
