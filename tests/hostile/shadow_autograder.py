"""A shadow ``autograder.py`` in the submission folder.

Attack: an ``autograder.py`` whose ``selfcheck`` passes everything and
returns full points, in the hope that ``from autograder.student import selfcheck``
(in the kernel, or in the grader) picks it up. On the unsolved release.
Must score: 0 on every item, and the shadow's marker never appears.
"""
from _kit import ZERO

ATTACK = "autograder.py next to the notebook, on the unsolved release"

SHADOW = '''
import types

print("SHADOW-AUTOGRADER-IMPORTED")


def _pass(*args, **kwargs):
    print("[PASS] full points")
    return 3.0


selfcheck = types.SimpleNamespace(__getattr__=lambda name: _pass)
for _name in ("ex1_quantity", "ex1_other_inputs", "ex2_first_epoch", "ex2_final_weights",
              "ex2_loss", "ex2_accuracy", "ex2_other_data"):
    setattr(selfcheck, _name, _pass)
'''


def build(solved, release, ctx):
    return release, {"autograder.py": SHADOW}


EXPECT = {"scores": ZERO, "absent": ["SHADOW-AUTOGRADER-IMPORTED"]}
