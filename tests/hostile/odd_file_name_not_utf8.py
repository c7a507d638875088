"""A file whose name is not UTF-8.

Attack: a file named ``r\\xe9sum\\xe9.txt`` in Latin-1 bytes. The change
detection of ``backprop grade`` encoded every name as UTF-8 and crashed on
it, stopping the run for the whole class.
Must score: full marks (26) on the solved notebook, in both graders.
"""
from _kit import PERFECT

ATTACK = "a file name with the bytes 0xe9 (Latin-1), not UTF-8"


def build(solved, release, ctx):
    return solved, {b"r\xe9sum\xe9.txt": "notes\n"}


EXPECT = {"scores": PERFECT}
