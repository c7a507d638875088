"""A notebook larger than any honest one.

Attack: the solved notebook padded with a 65 MB markdown cell, to make the
grader read, parse and copy a huge file (a bigger one exhausts its memory).
Must score: 0 on every item, "could not be read: it is larger than 64 MB"
(``c.SafeNotebookExporter.max_bytes``); the file is not parsed at all.
"""
import json

import nbformat
from _kit import ZERO

ATTACK = "the solved notebook with a 65 MB markdown cell"


def build(solved, release, ctx):
    data = json.loads(nbformat.writes(solved))
    data["cells"].append({"cell_type": "markdown", "id": "padding", "metadata": {},
                          "source": "padding " * (65 * 2**20 // 8)})
    return json.dumps(data).encode("utf-8")


EXPECT = {"scores": ZERO, "message": "could not be read: it is larger than 64 MB"}
