"""What is graded already: the state file, the dispatch order, the submission hash."""

from autograder.core.course import ASSIGNMENT
from autograder.grading.state import GradeState, tree_hash


def test_grade_state_round_trip(tmp_path):
    state = GradeState(tmp_path)
    seed = state.seed(ASSIGNMENT)
    state.record(ASSIGNMENT, "ann", submission="h1", grading="g1", seconds=1.5)
    again = GradeState(tmp_path)
    assert again.seed(ASSIGNMENT) == seed
    assert again.is_recorded(ASSIGNMENT, "ann", submission="h1", grading="g1")
    assert not again.is_recorded(ASSIGNMENT, "ann", submission="h2", grading="g1")
    assert not again.is_recorded(ASSIGNMENT, "ann", submission="h1", grading="g2")
    assert not again.is_recorded(ASSIGNMENT, "bob", submission="h1", grading="g1")
    again.forget(ASSIGNMENT, "ann")
    assert not GradeState(tmp_path).is_recorded(ASSIGNMENT, "ann", submission="h1", grading="g1")
    names = {p.name for p in (tmp_path / ".backprop").iterdir()}
    assert names == {"grade-state.json", "grade-state.journal"}
    GradeState(tmp_path).save()  # the journal is folded into the state file
    assert [p.name for p in (tmp_path / ".backprop").iterdir()] == ["grade-state.json"]
    (tmp_path / ".backprop" / "grade-state.json").write_text("{ torn")
    assert GradeState(tmp_path).data["assignments"] == {}  # unreadable: grade everything


def test_records_survive_in_the_journal_and_a_torn_last_line_is_ignored(tmp_path):
    state = GradeState(tmp_path)
    state.record_many(ASSIGNMENT, {f"s{i}": dict(submission=f"h{i}", grading="g", seconds=1.0,
                                                 signature=f"sig{i}") for i in range(3)})
    state.forget_many(ASSIGNMENT, ["s1"])
    journal = tmp_path / ".backprop" / "grade-state.journal"
    assert len(journal.read_text().splitlines()) == 4  # appended, never rewritten
    with open(journal, "a") as handle:  # a crash in the middle of a write
        handle.write('{"a": "backprop", "s": "s9", "e": {"submis')
    again = GradeState(tmp_path)  # no state file was ever written: the journal alone
    assert again.is_recorded(ASSIGNMENT, "s0", submission="h0", grading="g")
    assert not again.is_recorded(ASSIGNMENT, "s1", submission="h1", grading="g")
    assert again.entry(ASSIGNMENT, "s2")["stat"] == "sig2"
    assert again.entry(ASSIGNMENT, "s9") is None
    again.save()
    assert not journal.exists()
    assert GradeState(tmp_path).is_recorded(ASSIGNMENT, "s2", submission="h2", grading="g")


def test_slowest_of_the_last_run_go_first_and_untimed_before_them(tmp_path):
    state = GradeState(tmp_path)
    for student, seconds in (("ann", 4.0), ("bob", 12.5), ("cy", 0.7), ("dee", None)):
        state.record(ASSIGNMENT, student, submission="h", grading="g", seconds=seconds)
    order = GradeState(tmp_path).longest_first(ASSIGNMENT, ["ann", "bob", "cy", "dee", "new"])
    assert order == ["dee", "new", "bob", "ann", "cy"]
    assert GradeState(tmp_path).longest_first("other", ["b", "a"]) == ["b", "a"]


def test_submission_hash_follows_content_not_folder(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name / ".ipynb_checkpoints").mkdir(parents=True)
        (tmp_path / name / "nb.ipynb").write_text("{}")
        (tmp_path / name / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_text(name)
    assert tree_hash(tmp_path / "a") == tree_hash(tmp_path / "b")
    (tmp_path / "b" / "timestamp.txt").write_text("2024-01-01 10:00:00")
    assert tree_hash(tmp_path / "a") != tree_hash(tmp_path / "b")


def test_no_entry_of_a_submission_hangs_exhausts_or_stops_the_hash(tmp_path):
    """Each of these once stopped `backprop grade` for the whole class, up front."""
    import os
    import time

    from autograder.safe_trees import remove_tree
    from tests.test_safe_trees import deep_tree

    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "nb.ipynb").write_text("{}")
    (folder / "dangling").symlink_to(tmp_path / "nowhere")
    (folder / "zero").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo")
    with open(folder / "sparse.bin", "wb") as handle:
        handle.truncate(2**40)  # a TiB, apparently
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    (folder / "deep").mkdir()
    deep_tree(folder / "deep", 1500)
    try:
        started = time.monotonic()
        first = tree_hash(folder)
        assert time.monotonic() - started < 5
        assert tree_hash(folder) == first
        (folder / "zero").unlink()
        (folder / "zero").symlink_to("/dev/null")
        assert tree_hash(folder) != first  # a link is hashed by its target
        changed = tree_hash(folder)
        (folder / "nb.ipynb").write_text('{"cells": []}')
        assert tree_hash(folder) != changed
    finally:
        remove_tree(folder / "deep")


def test_a_tree_reached_through_a_link_is_hashed_by_its_content(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "reference.py").write_text("A = 1\n")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    first = tree_hash(tmp_path / "linked")
    assert first == tree_hash(tmp_path / "real")
    (tmp_path / "real" / "reference.py").write_text("A = 2\n")
    assert tree_hash(tmp_path / "linked") != first
