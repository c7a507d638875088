"""What every check shares: results for missing values, diagnoses, comparisons."""

from dataclasses import dataclass, field

from .. import compare as cmp
from ..results import ItemResult, Status
from ..values import Unavailable


def not_attempted(item, name, reason) -> ItemResult:
    return ItemResult(item.grade_id, 0, item.points, Status.NOT_ATTEMPTED,
                      f"Not attempted: `{name}` {reason}.")


def unavailable(item, name, value: Unavailable) -> ItemResult:
    if value.not_attempted:
        return not_attempted(item, name, value.reason)
    return ItemResult(item.grade_id, 0, item.points, Status.ERROR, f"`{name}` {value.reason}.")


def diagnosed(result: ItemResult, mistake) -> ItemResult:
    """``result`` with ``mistake``'s name and hint, when it lost points. A mistake
    without a name (no single slip explains the value) brings its hint only."""
    if mistake is not None and not result.passed:
        if mistake.name:
            result.diagnosis = mistake.name
        if mistake.hint:
            result.hint = mistake.hint
    return result


def first_difference(names, got, expected, *, rtol=cmp.RTOL, atol=cmp.ATOL):
    """The first of ``names`` whose value differs, with the comparison, or ``None``."""
    for name, value, want in zip(names, got, expected):
        if isinstance(value, Unavailable):
            return name, cmp.Comparison(cmp.MISSING, value.reason)
        outcome = cmp.compare(value, want, rtol=rtol, atol=atol)
        if not outcome.ok:
            return name, outcome
    return None


@dataclass
class CaseTally:
    """How a function fared on the grader's other inputs, case by case.

    ``function`` names it in messages (``backprop_step``); ``noun`` names the
    cases (``other networks``)."""

    function: str
    noun: str
    passed: int = 0
    total: int = 0
    attempted: bool = False
    mistake: object = None
    problems: list = field(default_factory=list)

    def unavailable(self, label, got: Unavailable) -> None:
        self.total += 1
        self.attempted = self.attempted or not got.not_attempted
        self.problems.append(f"on {label}, `{self.function}` {got.reason}")

    def untouched(self, label, what: str) -> None:
        """A case the student's code did nothing with (``what`` says how it shows)."""
        self.total += 1
        self.problems.append(f"on {label}, {what}")

    def compare(self, label, names, got, expected, tol):
        """Count the case; the first differing ``(name, comparison)`` or ``None``."""
        self.total += 1
        self.attempted = True
        difference = first_difference(names, got, expected, **tol)
        if difference is None:
            self.passed += 1
        else:
            name, outcome = difference
            self.problems.append(f"on {label}, `{name}` {outcome.detail}")
        return difference

    def result(self, item, hint: str, not_attempted_hint: str = "") -> ItemResult:
        if self.passed == self.total:
            return ItemResult(item.grade_id, item.points, item.points, Status.CORRECT,
                              f"`{self.function}` is correct on all {self.total} {self.noun}.")
        if not self.attempted:
            return ItemResult(item.grade_id, 0, item.points, Status.NOT_ATTEMPTED,
                              "Not attempted: " + self.problems[0] + ".", not_attempted_hint)
        return diagnosed(ItemResult(item.grade_id, item.points * self.passed / self.total,
                                    item.points, Status.PARTIAL if self.passed else Status.INCORRECT,
                                    f"`{self.function}` is correct on {self.passed} of "
                                    f"{self.total} {self.noun}; " + self.problems[0] + ".",
                                    hint), self.mistake)
