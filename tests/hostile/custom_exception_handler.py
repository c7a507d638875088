"""Exceptions swallowed by IPython's custom exception handler.

Attack: ``get_ipython().set_custom_exc((BaseException,), ...)`` makes every
failing cell look clean (no error output); stock nbgrader gives an
assert-style check cell without an error full marks. The notebook is
otherwise the blank release.
Must score: 0 on every item: verdicts come from the values the grader reads
back, never from whether a cell raised.
"""
from _kit import ZERO, with_cell

ATTACK = "set_custom_exc swallowing every exception, on the unsolved release"

HANDLER = """
def _all_good(shell, etype, evalue, tb, tb_offset=None):
    print("everything passed")
    return None

get_ipython().set_custom_exc((BaseException,), _all_good)
print("CUSTOM-EXC-INSTALLED")
"""


def build(solved, release, ctx):
    return with_cell(release, HANDLER, after="setup")


EXPECT = {"scores": ZERO, "present": ["CUSTOM-EXC-INSTALLED"]}
