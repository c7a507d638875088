"""A notebook that is not valid JSON.

Attack: a truncated notebook (the solved one, cut in the middle). Stock
nbgrader fails the submission and leaves every grade blank.
Must score: 0 on every item with the message "your notebook could not be
read", other students unaffected, the submitted file left as it was.
"""
import nbformat
from _kit import ZERO

ATTACK = "the solved notebook's JSON cut in half"


def build(solved, release, ctx):
    data = nbformat.writes(solved).encode("utf-8")
    return data[: len(data) // 2]


EXPECT = {"scores": ZERO, "message": "could not be read: it is not valid JSON"}
