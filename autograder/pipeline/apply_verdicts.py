"""Write the grader's verdicts into the check cells, for nbgrader to save.

Runs after :class:`~.guarded_execute.GuardedExecute` and before nbgrader's
``SaveAutoGrades``. Whatever the student's kernel printed in a check cell is
replaced by the verdict computed here, in the grader's process: the score as
the cell's last value (a builtin float, which ``SaveAutoGrades`` reads) and
the message and hint above it. Stderr noise or forged "passed" lines
therefore change nothing.

Everything it writes is in the language of the submission's assignment
(:mod:`.language`).
"""

import json
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade

from ..constants import RESULTS_FILE
from ..core.results import GradedSubmission, ItemResult, Status
from ..core.values import Unavailable
from ..i18n import _
from ..plan import verdicts
from ..plan.execution import Execution
from ..plan.settings import BackpropGrader
from .cell_failures import cell_name, explain
from .language import submission_language
from .notebook_reading import unreadable_reason
from .render import describe_figures, image_output, loss_curve_png, verdict_outputs
from .restore_cells import was_restored

#: Where a caller that already holds the plan puts it in ``resources``.
PLAN_KEY = "backprop_plan"
#: Where the graded submission is left in ``resources`` for later steps.
GRADED_KEY = "backprop_graded"


def _with_events(result: ItemResult, events) -> ItemResult:
    if result.status == Status.ERROR and events:
        result.message = _("{message} ({events})").format(message=result.message,
                                                          events=" ".join(events))
    return result


def cell_result(cell, results, unreadable) -> ItemResult:
    """The verdict for one check cell: the computed one, unless the cell cannot
    be judged (the notebook was unreadable, the cell was put back, or the
    course has no such check)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = meta.get("grade_id")
    points = float(meta.get("points", 0))
    if unreadable:
        return ItemResult(grade_id, 0, points, Status.ERROR,
                          _("Your notebook could not be read: {reason}. Nothing of it was "
                            "graded, so this item scores 0.").format(reason=unreadable))
    if was_restored(cell):
        return ItemResult(grade_id, 0, points, Status.ERROR,
                          _("This check cell was deleted or changed into another kind of "
                            "cell; it was put back and scores 0."))
    if grade_id not in results:
        return ItemResult(grade_id, 0, points, Status.ERROR,
                          _("This course's grader has no check with this id."))
    return results[grade_id]


class ApplyVerdicts(NbGraderPreprocessor):
    """Compute every item's verdict from the harvested values and store it."""

    def preprocess(self, nb, resources):
        with submission_language(resources):
            return self._preprocess(nb, resources)

    def _preprocess(self, nb, resources):
        execution = (Execution.stored(resources)
                     or Execution.not_run(_("was never run by the grader")))
        grader = BackpropGrader(parent=self)
        plan = resources.get(PLAN_KEY) or grader.plan()
        graded = verdicts.judge(execution, plan, carry_forward=grader.error_carried_forward,
                                notebook=str(resources.get("unique_key") or ""))
        results = {r.grade_id: _with_events(r, execution.events) for r in graded.items}
        explain(graded.items, nb)
        describe_figures(nb, lambda index: cell_name(nb, index))
        unreadable = unreadable_reason(nb)
        for cell in nb.cells:
            if cell.cell_type != "code" or not is_grade(cell):
                continue
            result = cell_result(cell, results, unreadable)
            if result.grade_id in results:
                results[result.grade_id] = result
            cell.outputs = verdict_outputs(result)
            if result.grade_id == "ex2_loss":
                self._add_loss_plot(cell, execution, plan)
            cell.execution_count = None
        graded.items = list(results.values())
        resources[GRADED_KEY] = graded
        self._write_results(resources, graded)
        return nb, resources

    def _add_loss_plot(self, cell, execution, plan):
        final = execution.values().values("ex2_final", verdicts.WEIGHTS)
        if isinstance(final, Unavailable) or isinstance(final[2], Unavailable) or final[2] is None:
            return
        png = loss_curve_png(final[2], plan.ex2_final[2])
        if png:
            cell.outputs.insert(1, image_output(png, _("Training loss: yours and the expected "
                                                       "curve")))

    def _write_results(self, resources, graded: GradedSubmission):
        """Keep the structured results next to the graded notebook for reports."""
        build_dir = resources.get("metadata", {}).get("path")
        if not build_dir:
            return
        path = Path(build_dir) / RESULTS_FILE
        path.write_text(json.dumps(graded.to_json(), indent=1), encoding="utf-8")
