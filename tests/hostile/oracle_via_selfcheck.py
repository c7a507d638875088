"""The oracle reached through the self-check's own internals.

Attack: ``backprop_step`` and ``train_nn`` look for the oracle inside
``autograder.student.selfcheck``, which the notebook imports: its module
attributes, the globals of its functions, and what it imports on first use
(calling one of its helpers, then ``sys.modules``). They implement nothing.
Must score: what the unsolved notebook scores, 0 on every item: in a grading
kernel the self-check holds no oracle and cannot import one.
"""
from _kit import EX1_CELL, EX2_CELL, ZERO, with_cell, with_source

ATTACK = "the oracle taken from selfcheck's attributes, function globals or lazy imports"

FIND = '''
import sys


def _oracle():
    for name in ("oracle", "_ORACLE"):
        found = getattr(selfcheck, name, None)
        if found is not None:
            return found
    for value in vars(selfcheck).values():
        found = getattr(value, "__globals__", {}).get("oracle")
        if found is not None:
            return found
    try:
        selfcheck.initial_weights([[0.0, 0.0]])  # makes the self-check import the core
    except Exception as exc:
        print("SELFCHECK-IMPORT-FAILED", type(exc).__name__)
    found = sys.modules.get("autograder.core.oracle")
    if found is None:
        raise RuntimeError("no oracle")
    return found


try:
    print("SELFCHECK-ORACLE-FOUND", _oracle().__name__)
except RuntimeError:
    print("SELFCHECK-ORACLE-UNAVAILABLE")
'''

STEP = '''
def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    return tuple(_oracle().backprop_step(x, target, learnrate, weights_input_hidden,
                                         weights_hidden_output))
'''

TRAIN = '''
def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    return _oracle().train(np.asarray(features, float), np.asarray(targets, float), epochs,
                           learnrate, n_hidden, seed)
'''


def build(solved, release, ctx):
    nb = with_cell(release, FIND, after="setup")
    nb = with_source(nb, EX1_CELL, STEP)
    return with_source(nb, EX2_CELL, TRAIN)


EXPECT = {"scores": ZERO, "present": ["SELFCHECK-ORACLE-UNAVAILABLE"],
          "absent": ["SELFCHECK-ORACLE-FOUND"]}
