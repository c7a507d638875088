"""What running a submission hands to the verdict step: one record, as JSON too.

:class:`Execution` is written by the execution step
(:class:`~autograder.pipeline.guarded_execute.GuardedExecute`), wherever it
runs, and read by the verdict step
(:class:`~autograder.pipeline.apply_verdicts.ApplyVerdicts`). In a parallel
run it travels from a worker to the coordinator as :meth:`Execution.to_json`.
It holds data only: the harvest's raw entries (decoded, untrusted, by
:meth:`Execution.values`), why they may be missing, what happened during the
run, the cells that were skipped, how long it took and, when the record
travels to another process, the executed notebook as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _
from .payload import Payload

#: Where the record sits in nbconvert's ``resources`` between the two steps.
RESOURCES_KEY = "backprop_execution"


@dataclass
class Execution:
    payload: dict = field(default_factory=dict)
    problem: str = ""
    events: list[str] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0
    notebook: str = ""

    @classmethod
    def not_run(cls, problem: str) -> "Execution":
        """A record for a notebook that was never executed, with the reason."""
        return cls(problem=problem)

    def values(self) -> Payload:
        """The harvested values, decoded and validated."""
        return Payload(self.payload, self.problem)

    def to_json(self) -> dict:
        return {"payload": self.payload, "problem": self.problem, "events": list(self.events),
                "skipped": [[int(index), reason] for index, reason in self.skipped.items()],
                "seconds": self.seconds, "notebook": self.notebook}

    @classmethod
    def from_json(cls, data: dict) -> "Execution":
        """Read back :meth:`to_json`; a malformed record is read as not run."""
        try:
            payload = data.get("payload") or {}
            if not isinstance(payload, dict):
                raise TypeError("payload is not an object")
            return cls(payload=payload, problem=str(data.get("problem") or ""),
                       events=[str(event) for event in data.get("events", [])],
                       skipped={int(index): str(reason)
                                for index, reason in data.get("skipped", [])},
                       seconds=float(data.get("seconds") or 0.0),
                       notebook=str(data.get("notebook") or ""))
        except (AttributeError, TypeError, ValueError) as exc:
            return cls.not_run(_("could not be read back from the grader's worker ({error})")
                               .format(error=exc))

    # -- nbconvert's resources -------------------------------------------------------
    def store(self, resources: dict) -> None:
        resources[RESOURCES_KEY] = self

    @staticmethod
    def stored(resources: dict) -> "Execution | None":
        record = resources.get(RESOURCES_KEY)
        return record if isinstance(record, Execution) else None
