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
