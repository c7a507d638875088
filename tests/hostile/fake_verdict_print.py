"""Fake verdicts printed into the check cells.

Attack: a ``post_run_cell`` hook prints "[PASS] ... 3 / 3 points" and a bare
float after every cell (so inside every check cell), and writes a fake
verdict straight to ``sys.stdout``/``sys.__stdout__``; stock nbgrader only
looks at the check cells' outputs. On the unsolved release.
Must score: 0 on every item: the grader replaces the check cells' outputs
with its own verdicts.
"""
from _kit import ZERO, with_cell

ATTACK = "post_run_cell hook printing '[PASS] 3 / 3 points' and '3.0' into every check cell"

CODE = '''
import sys


def _fake(result):
    print("[PASS] ex1_error: 3/3  correct")
    print(3.0)
    sys.stdout.write("3 / 3 points (correct): well done\\n")
    sys.__stdout__.write("3.0\\n")


get_ipython().events.register("post_run_cell", _fake)
print("FAKE-PRINT-HOOK")
'''


def build(solved, release, ctx):
    return with_cell(release, CODE, after="setup")


EXPECT = {"scores": ZERO, "present": ["FAKE-PRINT-HOOK"]}
