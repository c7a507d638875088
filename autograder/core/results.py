"""Structured results: what every check returns and every report reads.

* :class:`Status` says what became of one item;
* :class:`ItemResult` is the verdict on one item (score, message, hint,
  diagnosis);
* :class:`GradedSubmission` is a whole submission: its items in the course's
  order and the events of its run. The verdict step writes it beside the
  graded notebook, the class report reads it back, and ``backprop check
  --json`` prints it.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field

from ..i18n import _
from .text import safe_text


class Status(str, enum.Enum):
    """What became of one graded item. The values are what JSON files hold."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"
    ERROR = "error"
    CARRIED_FORWARD = "carried forward"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value) -> "Status":
        """The status named ``value``; an unknown name is read as an error."""
        try:
            return cls(value)
        except ValueError:
            return cls.ERROR


@dataclass
class ItemResult:
    """The verdict on one graded item of one submission.

    ``score`` is always a builtin ``float`` so that nbgrader can read it back
    (an ``np.float64`` would print as ``np.float64(2.0)``, which nbgrader cannot
    parse and then treats as full credit).
    """

    grade_id: str
    score: float
    max_score: float
    status: Status
    message: str
    hint: str = ""
    diagnosis: str = ""

    def __post_init__(self):
        self.score = float(round(min(max(float(self.score), 0.0), float(self.max_score)), 6))
        self.max_score = float(self.max_score)
        self.status = Status.parse(self.status)

    def __setattr__(self, name, value):
        # Messages quote what a submission produced: they must be writable anywhere.
        if name in ("message", "hint", "diagnosis") and isinstance(value, str):
            value = safe_text(value)
        super().__setattr__(name, value)

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score

    def to_dict(self) -> dict:
        data = asdict(self)
        data["status"] = self.status.value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ItemResult":
        return cls(str(data["grade_id"]), float(data["score"]), float(data["max_score"]),
                   Status.parse(data.get("status")), str(data.get("message", "")),
                   str(data.get("hint", "")), str(data.get("diagnosis", "")))

    @property
    def mark(self) -> str:
        """PASS, PART (some points) or FAIL."""
        return "PASS" if self.passed else ("PART" if self.score > 0 else "FAIL")

    def summary(self) -> str:
        """Plain text: one line with the score and message, then diagnosis and hint (the
        mark and the grade id are the same in every language)."""
        text = f"[{self.mark}] {self.grade_id}: {self.score:g}/{self.max_score:g}  {self.message}"
        if self.diagnosis:
            from .diagnose import title  # the finder's catalogue, built only when needed

            text += "\n        " + _("diagnosis: {title}").format(title=title(self.diagnosis))
        if self.hint:
            text += "\n        " + _("hint: {hint}").format(hint=self.hint)
        return text

    def markdown(self) -> str:
        """The same as :meth:`summary`, as Markdown (messages quote code in backticks)."""
        parts = [f"**[{self.mark}] {self.grade_id}: {self.score:g}/{self.max_score:g}** "
                 f"{self.message}"]
        if self.diagnosis:
            from .diagnose import title  # the finder's catalogue, built only when needed

            parts.append(_("*Diagnosis:* {title}").format(title=title(self.diagnosis)))
        if self.hint:
            parts.append(_("*Hint:* {hint}").format(hint=self.hint))
        return "\n\n".join(parts)


@dataclass
class GradedSubmission:
    """Every item of one graded notebook, in the course's order."""

    items: list[ItemResult]
    notebook: str = ""
    events: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(item.score for item in self.items)

    @property
    def max_score(self) -> float:
        return sum(item.max_score for item in self.items)

    @property
    def passed(self) -> bool:
        return all(item.passed for item in self.items)

    def by_id(self) -> dict[str, ItemResult]:
        return {item.grade_id: item for item in self.items}

    def to_json(self) -> dict:
        return {"notebook": self.notebook, "items": [item.to_dict() for item in self.items],
                "events": list(self.events)}

    @classmethod
    def from_json(cls, data: dict) -> "GradedSubmission":
        """Read back what :meth:`to_json` wrote; raises ``ValueError`` on anything else."""
        try:
            items = [ItemResult.from_dict(entry) for entry in data.get("items", [])]
            events = [str(event) for event in data.get("events", [])]
            notebook = str(data.get("notebook") or "")
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a graded submission: {exc}") from None
        return cls(items, notebook, events)
