"""Where the grader makes Example 2's full training, and what the harvest is told."""

import json

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.pipeline import full_run
from autograder.pipeline.guarded_execute import GuardedExecute

SPEC = {"ex2": {"features": [[0.5]], "targets": [1.0], "full_epochs": 900},
        "ex2_cases": [{"hidden": "inputs drawn at grading time"}]}


def cell(grade_id, kind=new_code_cell):
    made = kind("x")
    made.metadata["nbgrader"] = {"grade_id": grade_id}
    return made


def test_the_training_cell_is_the_last_code_cell_with_its_id():
    nb = new_notebook(cells=[cell("ex2_run"), cell("ex2_run", new_markdown_cell),
                             new_code_cell("y"), cell("ex2_run"), cell("ex2_plot")])
    assert full_run.training_cell(nb) == 3
    assert full_run.training_cell(new_notebook(cells=[cell("ex2_plot")])) is None


def test_the_cell_before_it_carries_the_public_inputs_only():
    code = full_run.install_code(SPEC, "/exchange/payload.json")
    assert json.dumps(SPEC["ex2"]) in code and "inputs drawn at grading time" not in code
    assert full_run.NAME in full_run.RESTORE_CODE and "del " in full_run.RESTORE_CODE


def test_the_harvest_is_told_why_the_training_cell_did_not_run():
    """In the words the skipped cell itself gets, turned to speak of the training cell."""
    assert full_run.harvest_spec(SPEC, None) is SPEC
    told = full_run.harvest_spec(SPEC, "CellTimeoutError", 40)
    assert told["ex2"]["full_run_skipped"] == ("the cell that trains the network did not finish "
                                               "within 40 s, so the grader ran your notebook "
                                               "again without it")
    notes = {name: note.format(cell="Cell 3", seconds=40)
             for name, (note, _) in GuardedExecute.SKIP_NOTES.items()}
    for name, note in notes.items():
        why = full_run.harvest_spec(SPEC, name, 40)["ex2"]["full_run_skipped"]
        assert why.startswith("the cell that trains the network ") and "this cell" not in why
        # what the cell says of itself, told of the training cell
        assert why[len("the cell that trains the network "):] == note[len("This cell "):-1]
    late = full_run.harvest_spec(SPEC, "CellSkipped", 600)
    assert late["ex2"]["full_run_skipped"] == ("the cell that trains the network was not run: "
                                               "your notebook used up the 600 s the grader "
                                               "allows for it")
    assert "full_run_skipped" not in SPEC["ex2"]
