"""The copy of a submission's other files: regular files only, bounded, never through a link."""

import logging
import os
import time

import pytest
from nbgrader.coursedir import CourseDirectory

from autograder.pipeline import setup as course_setup
from autograder.pipeline.submission_copy import (
    SafeAutograde,
    SubmissionCopy,
    SubmissionRefused,
    check_timestamp,
)
from autograder.safe_trees import remove_tree
from tests.test_safe_trees import deep_tree


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    folder = root / "submitted" / "alice" / "backprop"
    folder.mkdir(parents=True)
    yield root, folder
    remove_tree(root)  # it holds a folder too deep for pytest's own clean-up


def converter(root):
    coursedir = CourseDirectory(root=str(root))
    coursedir.ignore = [".ipynb_checkpoints", "__pycache__", "*.pyc"]
    return SafeAutograde(coursedir=coursedir)


def test_only_regular_files_within_the_bounds_are_copied(course, caplog):
    root, folder = course
    (folder / "backprop.ipynb").write_text("{}")
    (folder / "notes.txt").write_text("mine")
    (folder / "sub").mkdir()
    (folder / "sub" / "data.csv").write_text("a,b\n")
    (folder / "leak.txt").symlink_to(root / "secret.txt")
    (folder / "zero").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo")
    with open(folder / "huge.bin", "wb") as handle:
        handle.truncate(2**30)  # 1 GiB, but only its metadata on disk
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("latin-1 name")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"")
    deep = folder / "deep"
    deep.mkdir()
    deep_tree(deep, 1500)

    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        SubmissionCopy.init_assignment(converter(root), "backprop", "alice")
    assert time.monotonic() - started < 5
    dest = root / "autograded" / "alice" / "backprop"
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == sorted([os.fsdecode(b"caf\xe9.txt"), "notes.txt", "sub/data.csv"])
    assert (dest / "notes.txt").read_text() == "mine"
    warning = caplog.text
    for reason in ("leak.txt (a symbolic link)", "zero (a symbolic link)",
                   "fifo (not a regular file)", "huge.bin (1,073,741,824 bytes)",
                   "more than 8 folders deep"):
        assert reason in warning


def test_the_total_is_bounded_too(course):
    root, folder = course
    for index in range(5):
        (folder / f"part{index}.bin").write_bytes(b"x" * 1000)
    copy = converter(root)
    copy.max_total_bytes = 2500
    SubmissionCopy.init_assignment(copy, "backprop", "alice")
    dest = root / "autograded" / "alice" / "backprop"
    assert sorted(p.name for p in dest.iterdir()) == ["part0.bin", "part1.bin"]


def test_a_timestamp_nbgrader_would_block_on_refuses_the_submission(tmp_path):
    check_timestamp(str(tmp_path))  # none: fine
    (tmp_path / "timestamp.txt").write_text("2026-11-02 10:00:00")
    check_timestamp(str(tmp_path))
    os.remove(tmp_path / "timestamp.txt")
    os.mkfifo(tmp_path / "timestamp.txt")
    with pytest.raises(SubmissionRefused, match="not a regular file"):
        check_timestamp(str(tmp_path))
    os.remove(tmp_path / "timestamp.txt")
    (tmp_path / "timestamp.txt").symlink_to("/dev/zero")
    with pytest.raises(SubmissionRefused, match="not a regular file"):
        check_timestamp(str(tmp_path))


def test_the_course_config_makes_nbgrader_autograde_use_it():
    from nbgrader.apps import autogradeapp
    from traitlets.config import Config

    course_setup.configure(Config(), "/tmp/some-course")
    assert autogradeapp.Autograde is SafeAutograde
    assert SafeAutograde.__mro__.index(SubmissionCopy) < [
        c.__name__ for c in SafeAutograde.__mro__].index("BaseConverter")
