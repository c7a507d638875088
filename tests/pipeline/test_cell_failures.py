"""A failed cell is reported once, with its line; the items below it say so."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.core.results import ItemResult, Status
from autograder.pipeline.cell_failures import explain, find_failures


def _cell(grade_id, count=None, outputs=(), grade=False):
    cell = new_code_cell("x = 1", execution_count=count, outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "grade": grade}
    return cell


def _notebook(*cells):
    nb = new_notebook()
    nb.cells = list(cells)
    return nb


NAME_ERROR = new_output("error", ename="NameError", evalue="name 'outptu' is not defined",
                        traceback=["\x1b[0;31mNameError\x1b[0m Traceback",
                                   "Cell \x1b[0;32mIn[4], line 1\x1b[0m", "----> 1 (error, ...",
                                   "Cell \x1b[0;32mIn[3], line 12\x1b[0m, in backprop_step",
                                   "NameError: name 'outptu' is not defined"])


def _error(grade_id):
    return ItemResult(grade_id, 0, 1, Status.ERROR, "`error` could not be computed.")


def test_the_first_dependent_item_names_the_error_and_its_line_the_others_point_above():
    nb = _notebook(_cell("ex1_backprop_step", 3), _cell("ex1_run", 4, [NAME_ERROR]),
                   _cell("ex1_error", grade=True), _cell("ex1_hidden_error", grade=True),
                   _cell("ex2_train_nn", 5), _cell("ex2_first_epoch", grade=True))
    items = [_error("ex1_error"), _error("ex1_hidden_error"), _error("ex2_first_epoch")]
    explain(items, nb)
    assert items[0].message == (
        "Not run because the cell that calls `backprop_step` failed with NameError: name "
        "'outptu' is not defined, at line 12 of the cell that defines `backprop_step`.")
    assert items[1].message == ("Not run because the cell that calls `backprop_step` failed "
                                "with NameError (see above).")
    # another example's item is not blamed on this failure
    assert items[2].message == "`error` could not be computed."


def test_a_timed_out_cell_is_named_with_its_limit():
    note = new_output("error", ename="CellTimeoutError",
                      evalue="This cell did not finish within 60 s, so the grader ran your "
                             "notebook again without it.", traceback=[])
    nb = _notebook(_cell("ex2_run", None, [note]), _cell("ex2_loss", grade=True))
    failures = find_failures(nb)
    assert [(f.kind, f.seconds) for f in failures] == [("timeout", 60)]
    items = [_error("ex2_loss"), _error("ex2_accuracy")]
    nb.cells.append(_cell("ex2_accuracy", grade=True))
    explain(items, nb, failures)
    assert items[0].message == ("Not run because the cell that calls `train_nn` (your training) "
                                "did not finish within 60 s and was skipped.")
    assert items[1].message == ("Not run because the cell that calls `train_nn` (your training) "
                                "did not finish in time (see above).")


def test_items_that_were_judged_are_left_alone():
    nb = _notebook(_cell("ex1_run", 4, [NAME_ERROR]), _cell("ex1_error", grade=True))
    item = ItemResult("ex1_error", 0, 1, Status.INCORRECT, "`error` is off.")
    explain([item], nb)
    assert item.message == "`error` is off."
    assert nbformat.validate(nb) is None


def test_an_item_that_was_not_run_keeps_only_a_hint_that_names_the_slip():
    nb = _notebook(_cell("ex1_run", 4, [NAME_ERROR]), _cell("ex1_delta_w_i_h", grade=True),
                   _cell("ex1_other_inputs", grade=True))
    named = ItemResult("ex1_delta_w_i_h", 0, 2, Status.ERROR, "`delta_w_i_h` failed.",
                       "It is the outer product.", "ex1.delta_w_i_h.no_column")
    generic = ItemResult("ex1_other_inputs", 0, 3, Status.ERROR, "`backprop_step` raised.",
                         "`backprop_step` is already wrong on the article's numbers.")
    explain([named, generic], nb)
    assert named.message.startswith("Not run because") and generic.message.endswith("above).")
    assert named.hint == "It is the outer product."  # the finder explains the failure
    assert generic.hint == ""  # no value was computed for it to be wrong
