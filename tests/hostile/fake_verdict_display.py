"""Fake scores displayed as values in the check cells.

Attack: the check functions are replaced so that every check cell's last
value is a float (``3.0``), which stock nbgrader reads as the cell's score
(partial credit), and a ``post_run_cell`` hook ``display``s a float and an
HTML verdict. On the unsolved release.
Must score: 0 on every item.
"""
from _kit import ZERO, with_cell

ATTACK = "check cells evaluate to 3.0; display(3.0) and an HTML '3 / 3 points' after each cell"

CODE = '''
from IPython.display import HTML, display
from autograder.student import selfcheck

for _name in dir(selfcheck):
    if not _name.startswith("_") and callable(getattr(selfcheck, _name)):
        setattr(selfcheck, _name, lambda *a, **k: 3.0)


def _fake(result):
    display(3.0)
    display(HTML("<strong>3 / 3 points (correct)</strong>"))


get_ipython().events.register("post_run_cell", _fake)
print("FAKE-DISPLAY-HOOK")
'''


def build(solved, release, ctx):
    return with_cell(release, CODE, after="setup")


EXPECT = {"scores": ZERO, "present": ["FAKE-DISPLAY-HOOK"]}
