"""A notebook with bytes that are not UTF-8.

Attack: the solved notebook with one Latin-1 encoded "é" in a comment (an
editor saving in the wrong encoding). Stock nbgrader: blank grades.
Must score: 0 on every item, "could not be read: it is not UTF-8 text".
"""
import nbformat
from _kit import EX1_CELL, ZERO, cell, with_source

ATTACK = "the solved notebook with a Latin-1 byte in it"


def build(solved, release, ctx):
    nb = with_source(solved, EX1_CELL, "# résumé\n" + cell(solved, EX1_CELL).source)
    return nbformat.writes(nb).encode("utf-8").replace("é".encode("utf-8"), "é".encode("latin-1"))


EXPECT = {"scores": ZERO, "message": "could not be read: it is not UTF-8 text"}
