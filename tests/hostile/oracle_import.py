"""The course's own oracle answers the exercises, imported.

Attack: ``backprop_step`` and ``train_nn`` implement nothing: they call the
finite-difference oracle that ships with the self-check,
``autograder.core.oracle``, directly and through
``autograder.core.expectations``. While the sandbox bound the whole package,
that earned every point, the grader's hidden networks and data sets
included, without any backpropagation.
Must score: what the unsolved notebook scores, 0 on every item: the package
a grading kernel sees holds the self-check only, so the imports fail.
"""
from _kit import EX1_CELL, EX2_CELL, ZERO, with_cell, with_source

ATTACK = "backprop_step and train_nn call autograder.core.oracle / core.expectations"

STEP = '''
def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    from autograder.core import oracle
    return oracle.backprop_step(x, target, learnrate, weights_input_hidden,
                                weights_hidden_output)
'''

TRAIN = '''
def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    from autograder.core.expectations import OracleExpectations
    return OracleExpectations().train(np.asarray(features, float), np.asarray(targets, float),
                                      epochs, learnrate, n_hidden, seed)
'''

PROBE = '''
try:
    import autograder.core.oracle
    print("ORACLE-IMPORTED", autograder.core.oracle.__file__)
except ImportError as exc:
    print("ORACLE-UNAVAILABLE", type(exc).__name__)
'''


def build(solved, release, ctx):
    nb = with_source(release, EX1_CELL, STEP)
    nb = with_source(nb, EX2_CELL, TRAIN)
    return with_cell(nb, PROBE, after="setup")


EXPECT = {"scores": ZERO, "present": ["ORACLE-UNAVAILABLE"], "absent": ["ORACLE-IMPORTED"]}
