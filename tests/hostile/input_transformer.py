"""An input transformer that wraps every later cell in try/except.

Attack: ``get_ipython().input_transformers_post`` rewrites each later cell
(the check cells, and the grader's own hidden harvest cell) into
``try: <cell> except BaseException: pass``, so nothing ever fails (stock
nbgrader: full marks for every assert-style check).
Must score: 0 on every item (the release is unsolved); the harvest still
reads the student's values, which are wrong.
"""
from _kit import ZERO, with_cell

ATTACK = "input_transformers_post wrapping every cell in try/except, on the unsolved release"

TRANSFORMER = """
def _wrap(lines):
    body = [("    " + line) if line.strip() else "\\n" for line in lines] or ["    pass\\n"]
    if not body[-1].endswith("\\n"):
        body[-1] += "\\n"
    return ["try:\\n", *body, "    pass\\n", "except BaseException:\\n", "    pass\\n"]

get_ipython().input_transformers_post.append(_wrap)
print("TRANSFORMER-INSTALLED")
"""


def build(solved, release, ctx):
    return with_cell(release, TRANSFORMER, after="setup")


EXPECT = {"scores": ZERO, "present": ["TRANSFORMER-INSTALLED"]}
