"""Valid JSON that is not a valid notebook.

Attack: the solved notebook with one cell's ``source`` removed (a broken
merge or a hand edit). nbformat only logs such errors, and the grading steps
then fail on the malformed cell.
Must score: 0 on every item, "could not be read: it is not a valid notebook".
"""
import json

import nbformat
from _kit import ZERO

ATTACK = "a cell without 'source' in otherwise valid notebook JSON"


def build(solved, release, ctx):
    data = json.loads(nbformat.writes(solved))
    del data["cells"][3]["source"]
    return json.dumps(data).encode("utf-8")


EXPECT = {"scores": ZERO, "message": "could not be read: it is not a valid notebook"}
