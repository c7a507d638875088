"""Write the grader's verdicts into the check cells, for nbgrader to save.

Runs after :class:`GuardedExecute` and before nbgrader's ``SaveAutoGrades``.
Whatever the student's kernel printed in a check cell is replaced by the
verdict computed here, in the grader's process: the score as the cell's last
value (a builtin float, which ``SaveAutoGrades`` reads) and the message and
hint above it. Stderr noise or forged "passed" lines therefore change nothing.
"""

import json
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade

from .. import verdicts
from ..grading_run import BackpropGrader
from ..harvest import Payload
from ..render import image_output, loss_curve_png, verdict_outputs
from ..values import Unavailable
from ..results import ERROR, ItemResult
from ..safe_reading import unreadable_reason
from .restore_cells import was_restored

RESULTS_FILE = "backprop-results.json"


def _with_events(result: ItemResult, events) -> ItemResult:
    if result.status == ERROR and events:
        result.message += " (" + " ".join(events) + ")"
    return result


class ApplyVerdicts(NbGraderPreprocessor):
    """Compute every item's verdict from the harvested values and store it."""

    def preprocess(self, nb, resources):
        state = resources.setdefault("backprop", {})
        payload = state.get("payload") or Payload(None, "was never run by the grader")
        grader = BackpropGrader(parent=self)
        plan = state.get("plan") or grader.plan()
        results = {r.grade_id: _with_events(r, state.get("events", []))
                   for r in verdicts.grade(payload, plan,
                                           carry_forward=grader.error_carried_forward)}
        unreadable = unreadable_reason(nb)
        for cell in nb.cells:
            if cell.cell_type != "code" or not is_grade(cell):
                continue
            grade_id = cell.metadata.nbgrader.get("grade_id")
            points = float(cell.metadata.nbgrader.get("points", 0))
            result = results.get(grade_id)
            if unreadable:
                result = ItemResult(grade_id, 0, points, ERROR,
                                    f"Your notebook could not be read: {unreadable}. "
                                    "Nothing of it was graded, so this item scores 0.")
                results[grade_id] = result
            elif was_restored(cell):
                result = ItemResult(grade_id, 0, points, ERROR,
                                    "This check cell was deleted or changed into another kind of "
                                    "cell; it was put back and scores 0.")
                results[grade_id] = result
            elif result is None:
                result = ItemResult(grade_id, 0, points, ERROR,
                                    "This course's grader has no check with this id.")
            cell.outputs = verdict_outputs(result)
            if grade_id == "ex2_loss":
                self._add_loss_plot(cell, payload, plan)
            cell.execution_count = None
        state["results"] = [results[k].to_dict() for k in results]
        self._write_results(resources, state)
        return nb, resources

    def _add_loss_plot(self, cell, payload, plan):
        final = payload.values("ex2_final", ("weights_input_hidden", "weights_hidden_output",
                                             "losses"))
        if isinstance(final, Unavailable) or isinstance(final[2], Unavailable) or final[2] is None:
            return
        png = loss_curve_png(final[2], plan.ex2_final[2])
        if png:
            cell.outputs.insert(1, image_output(png, "Training loss: yours and the expected curve"))

    def _write_results(self, resources, state):
        """Keep the structured results next to the graded notebook for reports."""
        build_dir = resources.get("metadata", {}).get("path")
        if not build_dir:
            return
        record = {
            "notebook": resources.get("unique_key"),
            "items": state["results"],
            "events": state.get("events", []),
        }
        path = Path(build_dir) / RESULTS_FILE
        path.write_text(json.dumps(record, indent=1), encoding="utf-8")
