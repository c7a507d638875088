"""Put deleted grade cells back, and mark them so that they score 0."""

from nbgrader.preprocessors import OverwriteCells
from traitlets import Bool

RESTORED = "restored"


class RestoreCells(OverwriteCells):
    """nbgrader's ``OverwriteCells`` that re-adds missing grade cells by default.

    Every re-added cell carries ``metadata.backprop.restored = True``; the
    verdict step gives such an item 0 points and says why.
    """

    add_missing_cells = Bool(True, help=OverwriteCells.add_missing_cells.help).tag(config=True)

    def missing_cell_transform(self, source_cell, max_score, is_solution=False, is_task=False):
        cell = super().missing_cell_transform(source_cell, max_score, is_solution, is_task)
        cell.metadata["backprop"] = {RESTORED: True}
        return cell


def was_restored(cell) -> bool:
    return bool(cell.metadata.get("backprop", {}).get(RESTORED))
