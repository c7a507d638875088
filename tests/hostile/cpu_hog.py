"""Sixty busy processes, to slow whatever grades beside this submission.

Attack: the last cell starts 60 processes that spin until the kernel is
killed (the process limit allows 64), then sleeps while they spin, and the
grader's calls of the functions run beside them. In a parallel run they took
the CPU from the other worker's kernel, whose training cell timed out: an
honest neighbour lost 7 points. The parallel run of this corpus grades this
case beside others. (The spinners share this kernel's own CPU share, so
they also slow this notebook: hence the last cell.)
Must score: 0 on every item (unsolved release); every kernel has a CPU
share of its own, so the neighbours' scores equal those of the sequential
run (tests/sandbox/test_cpu_share.py measures it under a tight timeout).
"""
from _kit import ZERO, with_cell

ATTACK = "60 forked busy loops for the life of the kernel"

HOG = '''
import os, time
_spinners = 0
for _ in range(60):
    try:
        if os.fork() == 0:
            os.setsid()  # a session of its own: a scheduling group of its own too
            time.sleep(1)  # let the others be forked first
            while True:
                pass
        _spinners += 1
    except OSError:
        break
print("SPINNERS", _spinners)
time.sleep(10)
'''


def build(solved, release, ctx):
    return with_cell(release, HOG)


EXPECT = {"scores": ZERO, "present": ["SPINNERS"]}
