"""Walking and removing folders a student made: lstat only, no recursion, bounded."""

import os
import shutil
import stat

import pytest

from autograder.safe_trees import TreeWalk, ignored, remove_tree, walk_tree


def deep_tree(root, depth, name="d"):
    """A folder ``depth`` levels deep below ``root`` (deeper than PATH_MAX allows by path)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("leaf.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write("bottom")
    finally:
        os.close(fd)


def test_walk_judges_every_entry_by_lstat(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("bb")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "to_dir").symlink_to(tmp_path / "sub")
    (tmp_path / "zero").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo")
    with open(tmp_path / "sparse.bin", "wb") as handle:
        handle.truncate(2**40)  # one TiB, apparently
    name = os.fsdecode(b"caf\xe9.txt")  # not UTF-8
    (tmp_path / name).write_text("x")

    entries = {entry.path: entry for entry in walk_tree(tmp_path)}
    # depth first: a folder's names in sorted order, each folder right before what it holds
    assert list(entries) == ["a.txt", name, "dangling", "fifo", "sparse.bin", "sub",
                             "sub/b.txt", "to_dir", "zero"]
    assert {path: entry.kind for path, entry in entries.items()} == {
        "a.txt": "file", "sub": "folder", "sub/b.txt": "file", "dangling": "link",
        "to_dir": "link", "zero": "link", "fifo": "special", "sparse.bin": "file", name: "file"}
    assert entries["sparse.bin"].size == 2**40
    assert entries["sub"].entered


def test_walk_bounds_depth_and_entries_and_skips_patterns(tmp_path):
    deep_tree(tmp_path, 1500)
    try:
        walk = TreeWalk(tmp_path, max_depth=5)
        entries = list(walk)
    finally:
        remove_tree(tmp_path / "d")  # pytest's own clean-up would recurse too deeply
    assert [e.path.count("/") for e in entries] == [0, 1, 2, 3, 4]
    assert not entries[-1].entered and all(e.entered for e in entries[:-1])
    deep_tree(tmp_path, 3)
    for i in range(20):
        (tmp_path / f"f{i:02}").write_text("x")
    walk = TreeWalk(tmp_path, max_entries=7)
    assert len(list(walk)) == 7 and walk.truncated
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.pyc").write_bytes(b"")
    (tmp_path / ".hidden.pyc").write_bytes(b"")
    paths = [e.path for e in walk_tree(tmp_path, skip=["__pycache__", "*.pyc", "d"])]
    assert "__pycache__" not in paths and not any(p.startswith("__pycache__/") for p in paths)
    assert ".hidden.pyc" in paths  # as glob does: "*" does not match a leading dot
    assert "d" not in paths
    assert ignored(".ipynb_checkpoints", [".ipynb_checkpoints"])


def test_remove_tree_removes_any_depth_where_shutil_cannot(tmp_path):
    deep = tmp_path / "deep"
    deep.mkdir()
    deep_tree(deep, 1500)
    with pytest.raises(RecursionError):
        shutil.rmtree(deep)
    remove_tree(deep)
    assert not deep.exists()


def test_remove_tree_never_follows_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    doomed = tmp_path / "doomed"
    (doomed / "inner").mkdir(parents=True)
    (doomed / "inner" / "to_outside").symlink_to(outside)
    (doomed / "to_file").symlink_to(outside / "keep.txt")
    os.mkfifo(doomed / "fifo")
    remove_tree(doomed)
    assert not doomed.exists()
    assert (outside / "keep.txt").read_text() == "keep"


def test_remove_tree_removes_locked_folders_and_single_entries(tmp_path):
    locked = tmp_path / "locked"
    (locked / "a" / "b").mkdir(parents=True)
    (locked / "a" / "b" / "f").write_text("x")
    os.chmod(locked / "a" / "b", 0)
    os.chmod(locked / "a", stat.S_IRUSR | stat.S_IXUSR)
    remove_tree(locked)
    assert not locked.exists()
    single = tmp_path / "file.txt"
    single.write_text("x")
    remove_tree(single)
    assert not single.exists()
    remove_tree(tmp_path / "missing")  # nothing to do


def test_walk_keeps_few_folders_open_however_wide(tmp_path):
    """One descriptor per level: 2,000 sibling folders are more than a process may open."""
    for index in range(2000):
        (tmp_path / f"s{index:04}").mkdir()
        (tmp_path / f"s{index:04}" / "f").write_text("x")
    walk = TreeWalk(tmp_path, max_entries=100_000)
    assert len(list(walk)) == 4000 and walk.unreadable == [] and not walk.truncated
