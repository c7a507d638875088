"""A 1 GiB sparse file next to the notebook.

Attack: ``weights.bin`` is 1 GiB long but holds no data (40 KB on disk).
nbgrader's copy wrote it out in full into ``autograded/`` and again into
``feedback/``; ``backprop grade`` read it whole to hash the submission.
Must score: full marks (26) on the solved notebook: the file is judged by
its apparent size, left out of the copy and hashed by its size, unread.
"""
from _kit import PERFECT, SparseFile

ATTACK = "weights.bin: 1 GiB apparent size, nothing on disk"


def build(solved, release, ctx):
    return solved, {"weights.bin": SparseFile(2**30)}


EXPECT = {"scores": PERFECT, "no_files": ["weights.bin"]}
