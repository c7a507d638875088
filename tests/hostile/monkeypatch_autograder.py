"""Monkeypatched grading code.

Attack: every function of ``autograder.student.selfcheck`` is replaced to
report a pass (and return full points), the core's checks are imported to
be patched too, and the package's files are opened for writing, on the
unsolved release.
Must score: 0 on every item: the verdicts are computed by the grader's own
copy of the package, outside the kernel; inside, the package is read-only
and holds the self-check only (``autograder.core`` is not there to patch).
"""
from _kit import ZERO, with_cell

ATTACK = "selfcheck functions replaced to always pass, core imported, package files rewritten"

PATCH = """
import autograder.student.selfcheck as _selfcheck


def _pass(*args, **kwargs):
    print("[PASS] all correct, full points")
    return 3.0


for _name in dir(_selfcheck):
    if not _name.startswith("_") and callable(getattr(_selfcheck, _name)):
        setattr(_selfcheck, _name, _pass)
print("AUTOGRADER-PATCHED")
try:
    import autograder.core.checks
    print("CORE-IMPORTED")
except ImportError as exc:
    print("CORE-UNAVAILABLE", type(exc).__name__)
try:
    with open(_selfcheck.__file__, "a") as _handle:
        _handle.write("\\n# tampered\\n")
    print("PACKAGE-WRITE-SUCCEEDED")
except OSError as exc:
    print("PACKAGE-WRITE-DENIED", exc.errno)
"""


def build(solved, release, ctx):
    return with_cell(release, PATCH, after="setup")


EXPECT = {"scores": ZERO,
          "present": ["AUTOGRADER-PATCHED", "CORE-UNAVAILABLE", "PACKAGE-WRITE-DENIED"],
          "absent": ["PACKAGE-WRITE-SUCCEEDED", "CORE-IMPORTED"]}
