"""Hidden inputs spelled out in an exception's message.

Attack: ``backprop_step`` and ``train_nn`` are correct on the course's own
inputs, but on the grader's hidden ones (other sizes) they raise an
exception whose message (and whose class's name) holds those inputs. The
grader quoted the message in the feedback ("... raised ValueError: ..."), so
the hidden networks and data sets came home with it, for a resubmission.
Must score: everything but the two items on hidden inputs (20 of 26); the
feedback says which exception was raised but quotes nothing of what the
student's code said while it ran on the hidden inputs.
"""
from _kit import perfect_except, with_cell

ATTACK = "raise ValueError(repr(hidden inputs)) when called on the grader's other inputs"

WRAP = '''
_tag = "HIDDEN" + "-INPUT"
_solved_step, _solved_train = backprop_step, train_nn
Leak = type("Leak", (Exception,), {})


def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    if np.shape(x) != (3,):  # not the article's network: one of the grader's
        raise Leak(_tag + repr([np.asarray(x).tolist(), target, learnrate]))
    return _solved_step(x, target, learnrate, weights_input_hidden, weights_hidden_output)


def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    if np.shape(features)[1] != 6:  # not the admissions data: one of the grader's
        raise ValueError(_tag + repr(np.asarray(features).tolist()[:3]))
    return _solved_train(features, targets, epochs, learnrate, n_hidden=n_hidden, seed=seed)
'''


def build(solved, release, ctx):
    return with_cell(solved, WRAP)  # last: the check cells above ran the real functions


EXPECT = {"scores": perfect_except("ex1_other_inputs", "ex2_other_data"),
          "message": "its message is not shown", "nowhere": ["HIDDEN-INPUT"]}
