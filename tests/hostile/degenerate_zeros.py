"""``backprop_step`` returns zeros of the right shapes.

Attack: every quantity is an array of zeros shaped like the right answer.
Each zero "follows" from the zero before it (zero times anything is zero),
which used to earn every downstream step its method marks, about 9 points,
without any backpropagation. Method marks now need an upstream value that is
not degenerate (zero, or not finite), and the relation on more than one
network.
Must score: 0 on Example 1; Example 2 (solved) in full, 13 points.
"""
from _kit import EX1_CELL, earned, with_source

ATTACK = "backprop_step returns zeros of the right shapes for all six quantities"

SOURCE = '''def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    n_hidden = len(weights_hidden_output)
    zeros = np.zeros(n_hidden)
    return (0.0, 0.0, zeros, zeros.copy(), zeros.copy(),
            np.zeros(np.shape(weights_input_hidden)))
'''


def build(solved, release, ctx):
    return with_source(solved, EX1_CELL, SOURCE)


EXPECT = {"scores": earned("ex2")}
