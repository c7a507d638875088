"""Reading the instructor's files by absolute path.

Attack: open the course root's ``solutions/reference.py``, the source
notebook, ``gradebook.db``, other students' submissions and the repository's
own ``solutions/`` by absolute path (the course path is easy to guess or to
find in a traceback), and print them.
Must score: 0 on every item; nothing secret is read or printed (not in the
autograded notebook, not in the feedback).
"""
from _kit import PROBE, ZERO, with_cell

ATTACK = "open('<course root>/solutions/reference.py') and friends, printed into the notebook"


def build(solved, release, ctx):
    paths = [ctx.course / "solutions" / "reference.py",
             ctx.course / "source" / "backprop" / "backprop.ipynb",
             ctx.course / "gradebook.db",
             ctx.course / "submitted",
             ctx.course / "submitted" / "control_perfect" / "backprop" / "backprop.ipynb",
             ctx.course / "autograded",
             ctx.course,
             ctx.repo / "solutions" / "reference.py",
             ctx.repo / "solutions",
             "/root", "/etc/shadow"]
    code = PROBE + "\n".join(f"probe({str(path)!r})" for path in paths) + "\n"
    return with_cell(release, code, after="setup")


# /root exists inside the sandbox, holding only the bound Python (.pyenv).
EXPECT = {"scores": ZERO, "present": ["DENIED"],
          "absent": ["READ ", "LISTED /tmp", "LISTED /work"], "feedback": True}
