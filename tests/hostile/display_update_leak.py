"""Hidden inputs written into a visible cell through a display update.

Attack: a visible cell shows a display with a ``display_id``. The student's
``backprop_step`` and ``train_nn`` (correct, but wrapped) update that
display, and show and print more, every time they are called: also when the
grader calls them on its hidden networks and data sets, after the notebook
ran. nbclient rewrote the visible cell's output during that hidden run, so
the hidden inputs landed in ``autograded/`` and in the feedback.
Must score: full marks (26), and nothing that the functions displayed,
updated or printed while the grader called them is saved anywhere.
"""
from _kit import PERFECT, with_cell

ATTACK = "update_display(display_id=...) of a visible cell from inside the graded functions"

WRAP = '''
from IPython.display import display, update_display

_tag = "HIDDEN" + "-INPUT"
display({"text/plain": "VISIBLE-DISPLAY"}, raw=True, display_id="leak")
_solved_step, _solved_train = backprop_step, train_nn


def backprop_step(x, *args, **kwargs):
    update_display({"text/plain": _tag + repr(np.asarray(x).tolist())}, raw=True,
                   display_id="leak")
    display({"text/plain": _tag + " shown again"}, raw=True, display_id="leak")
    print(_tag, "printed")
    return _solved_step(x, *args, **kwargs)


def train_nn(features, targets, *args, **kwargs):
    update_display({"text/plain": _tag + repr(np.asarray(features).tolist()[:4])}, raw=True,
                   display_id="leak")
    return _solved_train(features, targets, *args, **kwargs)
'''


def build(solved, release, ctx):
    return with_cell(solved, WRAP)  # last: the check cells above ran the real functions


EXPECT = {"scores": PERFECT, "present": ["VISIBLE-DISPLAY"], "nowhere": ["HIDDEN-INPUT"]}
