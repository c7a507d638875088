"""Notes for a notebook that looks unsaved."""

import json
import os

from autograder.grading.save_notes import save_notes


def _notebook(path, executed):
    cell = {"cell_type": "code", "source": "1", "metadata": {}, "outputs": [],
            "execution_count": 1 if executed else None}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))


def test_a_run_and_saved_notebook_gets_no_note(tmp_path):
    _notebook(tmp_path / "nb.ipynb", executed=True)
    assert save_notes(tmp_path / "nb.ipynb") == []


def test_a_never_run_notebook_gets_a_note(tmp_path):
    _notebook(tmp_path / "nb.ipynb", executed=False)
    notes = save_notes(tmp_path / "nb.ipynb")
    assert len(notes) == 1 and "never been run" in notes[0]


def test_a_notebook_older_than_a_different_checkpoint_gets_a_note(tmp_path):
    path = tmp_path / "nb.ipynb"
    _notebook(path, executed=True)
    checkpoints = tmp_path / ".ipynb_checkpoints"
    checkpoints.mkdir()
    _notebook(checkpoints / "nb-checkpoint.ipynb", executed=False)
    os.utime(path, (1_000_000, 1_000_000))
    notes = save_notes(path)
    assert len(notes) == 1 and "older than its last checkpoint" in notes[0]
    # the same content, saved just before its checkpoint (as JupyterLab saves): no note
    (checkpoints / "nb-checkpoint.ipynb").write_text(path.read_text())
    assert save_notes(path) == []
