"""The gradebook's cells, read once per run by the run's own cache (hostile files: test_hostile)."""

import types

import nbformat

from autograder.pipeline import cell_metadata


def counting_reads(monkeypatch):
    reads = []

    def read(db_url, notebook_id, assignment_id):
        reads.append((db_url, notebook_id, assignment_id))
        return {"cell": {"grade_id": "cell", "n": len(reads)}}

    monkeypatch.setattr(cell_metadata, "_read_gradebook_cells", read)
    return reads


def a_step_of(run):
    """An object whose ``parent`` chain ends at ``run``, like an exporter's."""
    return types.SimpleNamespace(parent=types.SimpleNamespace(parent=run))


def test_cells_are_read_every_time_outside_a_run(monkeypatch):
    reads = counting_reads(monkeypatch)
    step = a_step_of(types.SimpleNamespace(parent=None))
    cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=step)
    cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw")
    assert len(reads) == 2


def test_a_run_reads_each_notebooks_cells_once(monkeypatch):
    reads = counting_reads(monkeypatch)
    run = types.SimpleNamespace(parent=None)
    step = a_step_of(run)
    with cell_metadata.remembering_cells(run):
        first = cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=step)
        again = cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=step)
        with cell_metadata.remembering_cells(run):  # a nested block shares what is known
            cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=step)
        other = cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw2", within=step)
        cell_metadata.gradebook_cells("sqlite:///b.db", "nb", "hw", within=step)
    assert again is first and other["cell"]["n"] == 2
    assert reads == [("sqlite:///a.db", "nb", "hw"), ("sqlite:///a.db", "nb", "hw2"),
                     ("sqlite:///b.db", "nb", "hw")]
    # after the run, the gradebook is asked again
    later = cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=step)
    assert later["cell"]["n"] == 4


def test_two_runs_do_not_share_their_cells(monkeypatch):
    reads = counting_reads(monkeypatch)
    one, two = types.SimpleNamespace(parent=None), types.SimpleNamespace(parent=None)
    with cell_metadata.remembering_cells(one), cell_metadata.remembering_cells(two):
        cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=a_step_of(one))
        cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=a_step_of(two))
    assert len(reads) == 2


def test_a_missing_notebook_is_not_remembered(monkeypatch):
    from nbgrader.api import MissingEntry

    calls = []

    def read(*key):
        calls.append(key)
        raise MissingEntry()

    monkeypatch.setattr(cell_metadata, "_read_gradebook_cells", read)
    run = types.SimpleNamespace(parent=None)
    with cell_metadata.remembering_cells(run):
        for _ in range(2):
            try:
                cell_metadata.gradebook_cells("sqlite:///a.db", "nb", "hw", within=a_step_of(run))
            except MissingEntry:
                pass
    assert len(calls) == 2


def test_nbgrader_metadata_is_rebuilt_from_the_gradebook():
    known = {"check": {"grade": True, "solution": False, "locked": True, "grade_id": "check",
                       "points": 2.0, "schema_version": 3}}
    cells = [nbformat.v4.new_code_cell(str(i)) for i in range(6)]
    cells[0].metadata["nbgrader"] = {"grade": False, "grade_id": "check", "points": 100,
                                     "schema_version": 1}   # an earlier copy
    cells[1].metadata["nbgrader"] = {"grade": False, "grade_id": "check", "points": 100,
                                     "schema_version": 99, "solution": True}
    cells[2].metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "points": 100}
    cells[3].metadata["nbgrader"] = "not a dict"
    cells[4].metadata["nbgrader"] = {"schema_version": 1}
    nb = nbformat.v4.new_notebook(cells=cells)
    dropped, changed = cell_metadata.normalize_nbgrader_metadata(nb, known)
    assert nb.cells[1].metadata["nbgrader"] == known["check"]
    assert all("nbgrader" not in nb.cells[i].metadata for i in (0, 2, 3, 4, 5))
    assert sorted(dropped) == ["None", "None", "bonus", "check"] and changed == ["check"]
    assert cell_metadata.normalize_nbgrader_metadata(nb, known) == ([], [])  # idempotent
