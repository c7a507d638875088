"""Monkeypatched grading code.

Attack: every function of ``autograder.student.selfcheck`` and ``autograder.core.checks``
is replaced to report a pass (and return full points), and the package's
files are opened for writing, on the unsolved release.
Must score: 0 on every item: the verdicts are computed by the grader's own
copy of the package, outside the kernel; the package is read-only inside.
"""
from _kit import ZERO, with_cell

ATTACK = "autograder.student.selfcheck/core.checks functions replaced to always pass, package files rewritten"

PATCH = """
import autograder, autograder.core.checks, autograder.student.selfcheck
from autograder.core.results import ItemResult


def _pass(*args, **kwargs):
    print("[PASS] all correct, full points")
    return 3.0


def _result(*args, **kwargs):
    return ItemResult("ex1_error", 1, 1, "correct", "correct")


for _module, _fake in ((autograder.student.selfcheck, _pass), (autograder.core.checks, _result)):
    for _name in dir(_module):
        if not _name.startswith("_") and callable(getattr(_module, _name)):
            setattr(_module, _name, _fake)
print("AUTOGRADER-PATCHED")
try:
    with open(autograder.core.checks.__file__, "a") as _handle:
        _handle.write("\\n# tampered\\n")
    print("PACKAGE-WRITE-SUCCEEDED")
except OSError as exc:
    print("PACKAGE-WRITE-DENIED", exc.errno)
"""


def build(solved, release, ctx):
    return with_cell(release, PATCH, after="setup")


EXPECT = {"scores": ZERO, "present": ["AUTOGRADER-PATCHED", "PACKAGE-WRITE-DENIED"],
          "absent": ["PACKAGE-WRITE-SUCCEEDED"]}
