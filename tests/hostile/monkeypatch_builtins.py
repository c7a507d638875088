"""Monkeypatched builtins.

Attack: ``builtins.abs`` returns 0 (any ``abs(a - b) < tol`` passes),
``builtins.print`` prints "passed" whatever it is given, and ``float`` is
replaced, all in the kernel, on the unsolved release.
Must score: 0 on every item (the comparisons and the score never run in the
kernel; the patched float can only spoil the student's own values).
"""
from _kit import ZERO, with_cell

ATTACK = "builtins.abs/print/float replaced, on the unsolved release"

PATCH = """
import builtins
_real_print = builtins.print
_real_print("BUILTINS-PATCHED")
builtins.abs = lambda x: 0
builtins.print = lambda *a, **k: _real_print("[PASS] passed, 1.0")


class _Float(float):
    def __lt__(self, other):
        return True

    def __le__(self, other):
        return True


builtins.float = _Float
"""


def build(solved, release, ctx):
    return with_cell(release, PATCH, after="setup")


EXPECT = {"scores": ZERO, "present": ["BUILTINS-PATCHED"]}
