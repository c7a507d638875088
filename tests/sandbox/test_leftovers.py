"""Sandboxes named after their grader process, and the sweep of those whose grader died."""

import logging
import os
import subprocess
import sys

from autograder.sandbox import cpu_share, leftovers
from autograder.sandbox.leftovers import maker_is_gone, owner_prefix, process_start, sweep
from tests.test_safe_trees import deep_tree


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_name_tells_whether_its_maker_still_runs():
    mine = owner_prefix() + "abc123"
    assert mine.startswith(f"autograder-sbx-{os.getpid()}-{process_start(os.getpid())}-")
    assert not maker_is_gone(mine)
    assert maker_is_gone(f"autograder-sbx-{dead_pid()}-12345-abc123")
    # the pid is alive but is another process (its start time differs): pid reuse
    assert maker_is_gone(f"autograder-sbx-{os.getpid()}-1-abc123")
    for foreign in ("autograder-sbx-076uo9bb", "something-else", "autograder-sbx-1-2"):
        assert not maker_is_gone(foreign)


def test_the_sweep_removes_only_what_dead_graders_left(tmp_path, caplog):
    dead = tmp_path / f"autograder-sbx-{dead_pid()}-777-zz9"
    (dead / "work").mkdir(parents=True)
    deep_tree(dead / "work", 1500)  # what a kernel may leave: shutil.rmtree cannot remove it
    (dead / "work" / "link").symlink_to(tmp_path / "keep.txt")
    (tmp_path / "keep.txt").write_text("keep")
    alive = tmp_path / (owner_prefix() + "yy8")
    alive.mkdir()
    foreign = tmp_path / "autograder-sbx-076uo9bb"  # an older name: nobody can tell
    foreign.mkdir()
    with caplog.at_level(logging.INFO):
        removed = sweep(str(tmp_path), log=logging.getLogger("test"))
    assert str(dead) in removed and not dead.exists()
    assert alive.is_dir() and foreign.is_dir() and (tmp_path / "keep.txt").is_file()
    assert "died" in caplog.text


def test_the_sweep_removes_the_cpu_groups_of_dead_graders(tmp_path):
    hierarchy = cpu_share.usable_hierarchy()
    if hierarchy is None:
        return  # nothing to sweep on a machine without CPU shares
    name = f"autograder-sbx-{dead_pid()}-888-grp"
    stale = cpu_share.CpuShare.create(name, 0.5, hierarchy)
    live = cpu_share.CpuShare.create(owner_prefix() + "grp", 0.5, hierarchy)
    try:
        removed = leftovers.sweep(str(tmp_path))
        assert stale.path in removed and not os.path.exists(stale.path)
        assert os.path.isdir(live.path)
    finally:
        stale.remove()
        live.remove()
