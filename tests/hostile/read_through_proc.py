"""Reading the instructor's files through ``/proc``.

Attack: every process visible in ``/proc`` is a door to the grader's
filesystem if its root or working folder is the host's: try
``/proc/<pid>/root/<course>/...``, ``/proc/<pid>/cwd/../../../...``,
``/proc/self/cwd``, ``/proc/1/root`` and the grader's environment
(``/proc/<pid>/environ``), printing all that is read.
Must score: 0 on every item; the kernel's PID namespace shows only sandbox
processes, whose root is the sandbox, so nothing of the course's secret files
comes out.
"""
from _kit import PROBE, ZERO, with_cell

ATTACK = "/proc/<pid>/root, /proc/<pid>/cwd, /proc/self/cwd, /proc/1/root, /proc/<pid>/environ"


def build(solved, release, ctx):
    course = str(ctx.course)
    code = PROBE + f"""
course = {course!r}
pids = sorted((p for p in _os.listdir("/proc") if p.isdigit()), key=int)
print("PROC-PIDS", pids)
for pid in ["self", "1"] + pids:
    base = "/proc/" + pid
    probe(base + "/environ")
    probe(base + "/root" + course + "/solutions/reference.py")
    probe(base + "/root" + course + "/gradebook.db")
    probe(base + "/root" + course + "/source/backprop/backprop.ipynb")
    for depth in range(1, 6):
        probe(base + "/cwd/" + "../" * depth + "solutions/reference.py")
        probe(base + "/cwd/" + "../" * depth + "gradebook.db")
"""
    return with_cell(release, code, after="setup")


EXPECT = {"scores": ZERO, "present": ["PROC-PIDS", "DENIED /proc/1/root"], "feedback": True}
