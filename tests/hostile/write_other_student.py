"""Writing into another student's folder.

Attack: overwrite the control student's submission and drop a file in an
unrelated student's folder, by relative path (``../../other/...``) and by
absolute path. On the unsolved release.
Must score: 0 on every item; the other students' files are untouched (the
test hashes every submitted file before and after the run) and the control
student still earns 26.
"""
from _kit import ZERO, with_cell

ATTACK = "write ../../control_perfect/backprop/backprop.ipynb and <course>/submitted/bystander/..."

CODE = '''
def attempt(path, text):
    try:
        with open(path, "w") as handle:
            handle.write(text)
        print("WROTE", path)
    except Exception as exc:
        print("BLOCKED", path, type(exc).__name__, getattr(exc, "errno", ""))


for path in {paths!r}:
    attempt(path, "{{}}")
'''


def build(solved, release, ctx):
    paths = []
    for depth in range(1, 5):
        up = "../" * depth
        paths += [up + "control_perfect/backprop/backprop.ipynb", up + "bystander/ps0/answer.txt",
                  up + "submitted/bystander/ps0/planted.txt"]
    paths += [str(ctx.course / "submitted" / "control_perfect" / "backprop" / "backprop.ipynb"),
              str(ctx.course / "submitted" / "bystander" / "ps0" / "answer.txt"),
              str(ctx.course / "submitted" / "bystander" / "ps0" / "planted.txt")]
    return with_cell(release, CODE.format(paths=paths), after="setup")


EXPECT = {"scores": ZERO, "present": ["BLOCKED"], "absent": ["WROTE"]}
