"""Structured results: what every check returns and every report reads."""

from dataclasses import asdict, dataclass

CORRECT = "correct"
PARTIAL = "partial"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not attempted"
ERROR = "error"
CARRIED_FORWARD = "carried forward"


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
    status: str
    message: str
    hint: str = ""
    diagnosis: str = ""

    def __post_init__(self):
        self.score = float(round(min(max(float(self.score), 0.0), float(self.max_score)), 6))
        self.max_score = float(self.max_score)

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        mark = "PASS" if self.passed else ("PART" if self.score > 0 else "FAIL")
        text = f"[{mark}] {self.grade_id}: {self.score:g}/{self.max_score:g}  {self.message}"
        if self.diagnosis:
            text += f"\n        diagnosis: {self.diagnosis.replace('_', ' ')}"
        if self.hint:
            text += f"\n        hint: {self.hint}"
        return text
