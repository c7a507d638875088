"""The run's full plan, built in a thread while the first submissions execute."""

import threading

from ..i18n import _
from .outcome import GradeSetupError


class PlanBuilder(threading.Thread):
    """Builds the plan ApplyVerdicts needs, checks it against the harvest spec the
    workers already have, and hands it to ``publish`` (the pool sends it on)."""

    def __init__(self, grader, spec, *, publish):
        super().__init__(name="backprop-plan", daemon=True)
        self.grader, self.spec, self.publish = grader, spec, publish
        self.error = None
        self.plan = None

    def run(self):
        try:
            plan = self.grader.plan()
            if plan.harvest_spec() != self.spec:
                raise RuntimeError(_("the workers' harvest spec differs from the plan's"))
            self.publish(plan)
            self.plan = plan
        except BaseException as exc:  # noqa: BLE001 - reported by check()
            self.error = exc

    def check(self) -> None:
        """Raise if building the plan failed; at the end of a run, wait for it."""
        if self.error is not None:
            raise GradeSetupError(_("the grading plan could not be built: {error}").format(
                error=self.error))
