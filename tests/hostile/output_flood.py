"""100 MB of output, three ways.

Attack: 100 MB printed through the kernel protocol, 100 MB written straight
to the kernel process's file descriptor 1 and 100 MB to descriptor 2. The
first bloats the notebook; the others went to the grader's own log (and once
that log is a file larger than the kernel's file-size limit, every later
kernel died at start-up: one submission broke the rest of the class).
Must score: 0 on every item (unsolved release), with the output cut (what
arrives past 2 MB is dropped; a message past the client's size limit, as
ipykernel sends a fast print loop's text in one, is refused unread and its
cell skipped on a fresh run); the autograded notebook stays small and the
grader's log never sees the flood.
"""
from _kit import ZERO, with_cell

ATTACK = "print 100 MB, os.write(1, 100 MB), os.write(2, 100 MB)"

CODE = '''
import os
line = "FLOODLINE" + "x" * (2**20 - 10)
for _ in range(100):
    print(line)
raw = b"FDFLOOD" + b"y" * (2**20 - 8) + b"\\n"
for _ in range(100):
    os.write(1, raw)
    os.write(2, raw)
print("FLOOD-DONE")
'''


def build(solved, release, ctx):
    return with_cell(release, CODE, after="setup")


EXPECT = {"scores": ZERO, "present": [("output cut", "did not arrive in full")],
          "max_notebook_bytes": 4 * 2**20}
