"""File access that trusts nothing: bounded reads, no links, atomic writes."""

import os

import pytest

from autograder.safe_files import (
    FileRefused,
    atomic_write,
    atomic_write_json,
    read_regular_file,
    read_tree,
)


def test_read_regular_file_refuses_links_fifos_and_big_files(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_bytes(b"x" * 100)
    assert read_regular_file(str(real), 100) == b"x" * 100
    with pytest.raises(FileRefused, match="larger than"):
        read_regular_file(str(real), 99)
    (tmp_path / "link.ipynb").symlink_to(real)
    with pytest.raises(FileRefused, match="symbolic link"):
        read_regular_file(str(tmp_path / "link.ipynb"), 1000)
    os.mkfifo(tmp_path / "fifo.ipynb")
    with pytest.raises(FileRefused, match="not a regular file"):
        read_regular_file(str(tmp_path / "fifo.ipynb"), 1000)


def test_read_tree_takes_regular_files_only_within_a_budget(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.txt").write_text("bb")
    (tmp_path / "big.txt").write_text("x" * 100)
    (tmp_path / "link").symlink_to("/etc/passwd")
    (tmp_path / "linked_dir").symlink_to(tmp_path / "d")
    os.mkfifo(tmp_path / "fifo")
    assert read_tree(tmp_path, max_bytes=50) == {"a.txt": b"a", "d/b.txt": b"bb"}
    assert read_tree(tmp_path / "missing", max_bytes=50) == {}


def test_read_tree_stops_at_the_depth_and_count_limits(tmp_path):
    deep = tmp_path
    for level in range(5):
        deep = deep / f"l{level}"
        deep.mkdir()
        (deep / "f").write_text(str(level))
    assert sorted(read_tree(tmp_path, 1000, max_depth=2)) == ["l0/f", "l0/l1/f"]
    assert len(read_tree(tmp_path, 1000, max_files=2)) == 2


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "state.json"
    atomic_write(target, b"one")
    atomic_write(target, b"two", durable=True)
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["state.json"]


def test_a_failed_atomic_write_keeps_the_old_content(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    atomic_write(target, b"old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_atomic_json_is_json_dumps_written_piece_by_piece(tmp_path, monkeypatch):
    """The same bytes as ``json.dumps(...)`` encoded, without the whole text in memory:
    ``json.dumps`` is never called, and a value that cannot be written keeps the old file."""
    import json

    value = {"b": [1.5, None, "\u4e2d\u6587 \ud83d\ude00"], "a": {"z": 1, "y": [True]}}
    expected = json.dumps(value, indent=1, sort_keys=True).encode("utf-8")
    target = tmp_path / "last-run.json"

    def whole_text(*args, **kwargs):
        raise AssertionError("json.dumps builds the whole text")

    monkeypatch.setattr(json, "dumps", whole_text)
    atomic_write_json(target, value, durable=True, indent=1, sort_keys=True)
    assert target.read_bytes() == expected
    with pytest.raises(TypeError):
        atomic_write_json(target, {"x": object()})
    assert target.read_bytes() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last-run.json"]
