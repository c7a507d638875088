"""Tests of autograder.safe_reading's gradebook lookups (reading hostile files: test_hostile)."""

from autograder import safe_reading


def counting_reads(monkeypatch):
    reads = []

    def read(db_url, notebook_id, assignment_id):
        reads.append((db_url, notebook_id, assignment_id))
        return {"cell": {"grade_id": "cell", "n": len(reads)}}

    monkeypatch.setattr(safe_reading, "_read_gradebook_cells", read)
    return reads


def test_cells_are_read_every_time_outside_a_run(monkeypatch):
    reads = counting_reads(monkeypatch)
    safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")
    safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")
    assert len(reads) == 2


def test_a_run_reads_each_notebooks_cells_once(monkeypatch):
    reads = counting_reads(monkeypatch)
    with safe_reading.remembering_cells():
        first = safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")
        again = safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")
        with safe_reading.remembering_cells():  # a nested block shares what is known
            safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")
        other = safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw2")
        safe_reading.gradebook_cells("sqlite:///b.db", "nb", "hw")
    assert again is first and other["cell"]["n"] == 2
    assert reads == [("sqlite:///a.db", "nb", "hw"), ("sqlite:///a.db", "nb", "hw2"),
                     ("sqlite:///b.db", "nb", "hw")]
    # after the run, the gradebook is asked again
    assert safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")["cell"]["n"] == 4


def test_a_missing_notebook_is_not_remembered(monkeypatch):
    from nbgrader.api import MissingEntry

    calls = []

    def read(*key):
        calls.append(key)
        raise MissingEntry()

    monkeypatch.setattr(safe_reading, "_read_gradebook_cells", read)
    with safe_reading.remembering_cells():
        for _ in range(2):
            try:
                safe_reading.gradebook_cells("sqlite:///a.db", "nb", "hw")
            except MissingEntry:
                pass
    assert len(calls) == 2
