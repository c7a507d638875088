"""Check cells that are not in the submission as check cells are put back and score 0."""

from nbformat.v4 import new_markdown_cell

from autograder.pipeline.restore_cells import RestoreCells, was_restored

CHECK = {"grade": True, "solution": False, "locked": True, "grade_id": "ex1_error",
         "points": 1, "schema_version": 3}


def test_a_check_cell_turned_into_markdown_is_marked_as_put_back():
    cell = new_markdown_cell("selfcheck.ex1_quantity('error', error)")
    cell.metadata["nbgrader"] = dict(CHECK)
    RestoreCells().update_cell_type(cell, "code")
    assert cell.cell_type == "code" and was_restored(cell)


def test_other_cells_whose_type_changed_are_only_turned_back():
    cell = new_markdown_cell("x = 1")
    cell.metadata["nbgrader"] = dict(CHECK, grade=False, grade_id="ex2_run")
    RestoreCells().update_cell_type(cell, "code")
    assert cell.cell_type == "code" and not was_restored(cell)
