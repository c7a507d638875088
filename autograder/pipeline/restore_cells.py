"""Put deleted grade cells back, and mark them so that they score 0; a grade cell
turned into another kind of cell is treated the same way."""

import re

from nbgrader.preprocessors import OverwriteCells
from nbgrader.utils import is_grade
from traitlets import Bool

from ..constants import MARK, RESTORED


class RestoreCells(OverwriteCells):
    """nbgrader's ``OverwriteCells``, re-adding missing grade cells by default.

    Every re-added cell carries ``metadata.backprop.restored = True``; the
    verdict step gives such an item 0 points and says why. A check cell that
    the student turned into a Markdown or raw cell is, like a deleted one, not
    in the submission as a check cell: nbgrader turns it back into a code cell
    without a word (so it used to be graded as if untouched); it is marked too.

    nbgrader 0.9.6 places a re-added cell after the previous *source* cell,
    but looks that cell up among grade and solution cells only, and raises
    ``KeyError`` when it is a locked or markdown cell (as most of ours are).
    Here the cell goes after the nearest earlier source cell that the
    submission still has, whatever its kind, or first if there is none.
    """

    add_missing_cells = Bool(True, help=OverwriteCells.add_missing_cells.help).tag(config=True)

    def missing_cell_transform(self, source_cell, max_score, is_solution=False, is_task=False):
        cell = super().missing_cell_transform(source_cell, max_score, is_solution, is_task)
        cell.metadata[MARK] = {RESTORED: True}
        cell["id"] = re.sub(r"[^A-Za-z0-9_-]", "-", f"restored-{source_cell.name}")[:64]
        return cell

    def update_cell_type(self, cell, cell_type):
        changed = cell.cell_type != cell_type
        super().update_cell_type(cell, cell_type)
        if changed and is_grade(cell):
            cell.metadata[MARK] = {RESTORED: True}

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}

        def present():
            return {cell.metadata["nbgrader"].get("grade_id"): index
                    for index, cell in enumerate(nb.cells) if "nbgrader" in cell.metadata}

        for grade_cell in source_nb.grade_cells:
            here = present()
            if grade_cell.name in here:
                continue
            self.log.warning("Missing grade cell %s: putting it back", grade_cell.name)
            position = order.index(grade_cell.name) if grade_cell.name in order else 0
            source_cell = source_nb.source_cells[position]
            cell = self.missing_cell_transform(source_cell, grade_cell.max_score,
                                               is_solution=grade_cell.name in solution_ids)
            earlier = [here[name] for name in order[:position] if name in here]
            nb.cells.insert(max(earlier) + 1 if earlier else 0, cell)
        return nb, resources


def was_restored(cell) -> bool:
    mark = cell.metadata.get(MARK)
    return isinstance(mark, dict) and bool(mark.get(RESTORED))


__all__ = ["RestoreCells", "was_restored"]
