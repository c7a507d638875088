"""Writing the gradebook: a score of one's own choosing.

Attack: ``sqlite3.connect`` to ``gradebook.db`` (relative and absolute paths)
and ``UPDATE grade SET auto_score = 100``; also overwrite one's own
autograded notebook and write a ``backprop-results.json`` claiming full
marks. On the unsolved release.
Must score: 0 on every item; the gradebook is not reachable from the kernel
(the test checks that no other student's grade and no cell of the
assignment changed).
"""
from _kit import ZERO, with_cell

ATTACK = "sqlite3 UPDATE grade SET auto_score = 100 on gradebook.db; rewrite own results"

CODE = '''
import json, os, sqlite3


def attempt(label, action):
    try:
        action()
        print("WROTE", label)
    except Exception as exc:
        print("BLOCKED", label, type(exc).__name__, getattr(exc, "errno", ""))


def update(path):
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE grade SET auto_score = 100")
        db.commit()


def write(path, text):
    with open(path, "w") as handle:
        handle.write(text)


for path in {paths!r}:
    attempt("gradebook " + path, lambda: update(path))
attempt("own notebook", lambda: write({notebook!r}, "{{}}"))
attempt("own results", lambda: write({results!r}, json.dumps({{"items": []}})))
attempt("results here", lambda: write("backprop-results.json", json.dumps({{"items": []}})))
'''


def build(solved, release, ctx):
    own = ctx.course / "autograded" / ctx.student / "backprop"
    paths = ["../../../gradebook.db", "../gradebook.db", str(ctx.course / "gradebook.db")]
    code = CODE.format(paths=paths, notebook=str(own / "backprop.ipynb"),
                       results=str(own / "backprop-results.json"))
    return with_cell(release, code, after="setup")


EXPECT = {"scores": ZERO, "present": ["BLOCKED gradebook"], "absent": ["WROTE gradebook",
                                                                       "WROTE own"]}
