"""A folder nested 3,000 deep, made by the kernel in its own work folder.

Attack: a cell creates ``junk/d/d/.../d`` three thousand levels deep in the
sandbox's work folder (on the grader's disk). ``shutil.rmtree`` raised
RecursionError when the sandbox was removed: the sandbox folder stayed
behind in the temporary folder, and the error escaped into the grading.
Must score: full marks (26) on the solved notebook, and no sandbox folder
is left behind (the class-wide test checks every sandbox of the run).
"""
from _kit import PERFECT, with_cell

ATTACK = "os.mkdir 3,000 levels deep in the kernel's work folder"

DIG = '''
import os
_fd = os.open(".", os.O_RDONLY)
os.mkdir("junk")
for _level in range(3000):
    _inner = os.open("junk" if _level == 0 else "d", os.O_RDONLY, dir_fd=_fd)
    os.close(_fd)
    _fd = _inner
    os.mkdir("d", dir_fd=_fd)
os.close(_fd)
print("DUG-3000-LEVELS")
'''


def build(solved, release, ctx):
    return with_cell(solved, DIG, after="setup")


EXPECT = {"scores": PERFECT, "present": ["DUG-3000-LEVELS"]}
