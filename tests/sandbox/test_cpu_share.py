"""A CPU share of its own per sandboxed kernel: cgroups found, made, joined, removed,
and what it is for: a hog beside an honest submission in a parallel run.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.sandbox import cpu_share
from autograder.sandbox.cpu_share import CpuShare, cpu_hierarchies, join_command
from autograder.sandbox.kernel_manager import SandboxedKernelManager
from autograder.sandbox.probe import sandbox_available

needs_cgroups = pytest.mark.skipif(cpu_share.cpu_share_problem() is not None,
                                   reason=f"no CPU shares here: {cpu_share.cpu_share_problem()}")


def test_hierarchies_are_read_from_the_mount_table(tmp_path):
    v2 = tmp_path / "unified"
    v2.mkdir()
    (v2 / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    empty = tmp_path / "empty v2"
    empty.mkdir()
    (empty / "cgroup.controllers").write_text("hugetlb\n")
    mounts = tmp_path / "mounts"
    mounts.write_text("\n".join([
        "proc /proc proc rw 0 0",
        "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0",
        "cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0",
        "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0",
        f"cgroup2 {v2} cgroup2 rw 0 0",
        f"cgroup2 {str(empty).replace(' ', chr(92) + '040')} cgroup2 rw 0 0",
    ]) + "\n")
    assert cpu_hierarchies(str(mounts)) == [
        (2, str(v2)), (1, "/sys/fs/cgroup/cpu,cpuacct"), (1, "/sys/fs/cgroup/cpu")]
    assert cpu_hierarchies(str(tmp_path / "missing")) == []


def test_no_cgroup_no_prefix():
    assert join_command(None) == []


@needs_cgroups
def test_a_share_is_made_joined_limited_and_removed():
    share = CpuShare.create(f"autograder-test-{os.getpid()}", 0.25, cpu_share.usable_hierarchy())
    try:
        # four busy processes inside a quarter of one CPU, for one second of wall time
        spin = "import time\nend = time.time() + 1\nwhile time.time() < end: pass\n"
        program = textwrap.dedent(f"""
            import os, resource, subprocess, sys
            children = [subprocess.Popen([sys.executable, "-c", {spin!r}]) for _ in range(4)]
            for child in children:
                child.wait()
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            print(usage.ru_utime + usage.ru_stime)
        """)
        started = time.monotonic()
        out = subprocess.run(join_command(share) + [sys.executable, "-c", program],
                             capture_output=True, text=True, timeout=60, check=True)
        elapsed = time.monotonic() - started
        cpu = float(out.stdout)
        assert cpu < 0.25 * elapsed + 0.3, (cpu, elapsed)  # 4 s of CPU without the quota
        busy = subprocess.Popen(join_command(share) + ["/bin/sleep", "60"])
        deadline = time.monotonic() + 5
        while busy.pid not in share.pids() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert busy.pid in share.pids()
    finally:
        assert share.remove()
    assert busy.wait(timeout=5) == -9  # what still ran in the group was stopped
    assert not os.path.exists(share.path)


@needs_cgroups
@pytest.mark.skipif(not sandbox_available(), reason="no bubblewrap sandbox here")
def test_every_process_of_a_kernel_runs_in_its_group():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent("""
        import os, subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
        print(os.getpid(), child.pid)
    """))]
    seen = {}

    class Watching(SandboxedKernelManager):
        async def shutdown_kernel(self, now=False, restart=False):
            if self.cpu_group is not None:
                seen["group"], seen["pids"] = self.cpu_group, self.cpu_group.pids()
            return await super().shutdown_kernel(now=now, restart=restart)

    NotebookClient(nb, kernel_manager_class=Watching, timeout=60).execute()
    group = seen["group"]
    assert len(seen["pids"]) >= 3  # bubblewrap, the kernel, the kernel's child
    assert os.path.basename(group.path).startswith("autograder-sbx-")
    assert not os.path.exists(group.path) and group.pids() == []


HOG = """
import os, time
spinner_pids = []
for _ in range(60):
    try:
        pid = os.fork()
        if pid == 0:
            os.setsid()  # a session of its own: a scheduling group of its own too
            time.sleep(1)
            while True:
                pass
        spinner_pids.append(pid)
    except OSError:
        break
print("SPINNERS", len(spinner_pids))
"""
#: After the attack, the hog stops its spinners, so that the rest of its notebook (and
#: the test) does not crawl to the submission's time limit; it says when.
STOP_HOG = """
import os, signal, time
for pid in spinner_pids:
    os.kill(pid, signal.SIGKILL)
print("STOPPED", time.time())
"""
#: Tight for the honest training (about 5 s of CPU on this course), short for 60 spinners.
CELL_TIMEOUT = 40


@pytest.mark.slow
@needs_cgroups
@pytest.mark.skipif(not sandbox_available(), reason="no bubblewrap sandbox here")
def test_a_hog_beside_an_honest_submission_changes_nothing_of_its_grade(tmp_path):
    """Two workers: a submission of 60 busy processes, and the solved notebook under a
    tight cell timeout. Without a CPU share per kernel the honest training cell got
    about 1/30 of the machine and timed out."""
    from autograder.demo import samples
    from autograder.workspace.folder import make_course, nbgrader, read_grades
    from tests.grading.helpers import run_backprop
    from tests.hostile._kit import with_cell

    course = make_course(tmp_path / "course")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.GuardedExecute.timeout = {CELL_TIMEOUT}\n"
                     "c.GuardedExecute.submission_timeout = 150\n"
                     "c.BackpropGrader.hidden_seed = 5\n")
    nbgrader(["generate_assignment", "backprop", "--force"], course=course)
    release = nbformat.read(str(course / "release/backprop/backprop.ipynb"), 4)
    source = nbformat.read(str(course / "source/backprop/backprop.ipynb"), 4)
    hog = with_cell(release, STOP_HOG, after="setup")  # cells go in after setup: last first
    for _ in range(2):  # the spinners spin through these cells, each within its time limit
        hog = with_cell(hog, "import time\ntime.sleep(30)", after="setup")
    hog = with_cell(hog, HOG, after="setup")
    for student, notebook in (("hog", hog), ("honest", samples.solved(release, source))):
        folder = course / "submitted" / student / "backprop"
        folder.mkdir(parents=True)
        nbformat.write(notebook, str(folder / "backprop.ipynb"))

    result = run_backprop(["grade", "--workers", "2", "--force"], course=course, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    grades = read_grades(course)
    assert sum(grades["honest"].values()) == 26, grades["honest"]
    assert sum(grades["hog"].values()) == 0
    hog_nb = (course / "autograded/hog/backprop/backprop.ipynb").read_text()
    spinners = re.search(r"SPINNERS (\d+)", hog_nb)
    assert spinners and int(spinners.group(1)) >= 40  # the attack ran (threads count too)
    # ... for the whole of the honest submission's run
    stopped = re.search(r"STOPPED ([0-9.]+)", hog_nb)
    honest = json.loads((course / ".backprop/last-run.json").read_text())["timings"]["honest"]
    assert stopped and honest["started"] + honest["seconds"] < float(stopped.group(1)), honest
