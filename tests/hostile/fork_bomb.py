"""A (bounded) fork bomb.

Attack: a cell forks up to 300 sleeping children to exhaust the process
table; the children would outlive the grading if nothing killed them.
Must score: Example 1 in full (13 points): RLIMIT_NPROC of the kernel's own
uid refuses the fork long before 300, and the sandbox's PID namespace takes
the children with it (the test checks that no sandbox process is left).
"""
from _kit import EX2_CELL, earned, ex1_only, with_cell

ATTACK = "fork up to 300 children that sleep for ten minutes"

BOMB = """
import os, time
children = []
for i in range(300):
    try:
        pid = os.fork()
    except OSError as exc:
        print("FORK-REFUSED after", i, "children, errno", exc.errno)
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    children.append(pid)
else:
    print("FORK-BOMB-COMPLETE", len(children))
"""


def build(solved, release, ctx):
    return with_cell(ex1_only(solved, release), BOMB, before=EX2_CELL)


EXPECT = {"scores": earned("ex1"), "present": ["FORK-REFUSED"],
          "absent": ["FORK-BOMB-COMPLETE"]}
