"""What every check shares: results for missing values, diagnoses, comparisons."""

from dataclasses import dataclass, field

from ...i18n import _
from .. import compare as cmp
from .. import messages
from ..results import ItemResult, Status
from ..values import Unavailable


def not_attempted(item, message) -> ItemResult:
    """Nothing done yet: say so in ``message`` (a whole sentence, in the reader's
    language), and where to start reading (never how to do it)."""
    return ItemResult(item.grade_id, 0, item.points, Status.NOT_ATTEMPTED, message,
                      _(messages.START[item.grade_id]))


def unavailable(item, name, value: Unavailable) -> ItemResult:
    if value.not_attempted:
        return not_attempted(item, _("Not attempted: {problem}").format(
            problem=value.sentence(name)))
    return ItemResult(item.grade_id, 0, item.points, Status.ERROR, value.sentence(name))


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
    failed_calls: int = 0

    def unavailable(self, label, got: Unavailable) -> None:
        self.total += 1
        self.attempted = self.attempted or not got.not_attempted
        self.failed_calls += not got.not_attempted
        self.problems.append((label, got.sentence(self.function)))

    def untouched(self, label, what: str = "") -> None:
        """A case the student's code did nothing with (``what`` is kept for callers;
        the message comes from :data:`autograder.core.messages.CASES`)."""
        self.total += 1

    def compare(self, label, names, got, expected, tol):
        """Count the case; the first differing ``(name, comparison)`` or ``None``."""
        self.total += 1
        self.attempted = True
        difference = first_difference(names, got, expected, **tol)
        if difference is None:
            self.passed += 1
        else:
            name, outcome = difference
            self.problems.append((label, messages.describe(name, outcome)))
        return difference

    def result(self, item, hint: str, not_attempted_hint: str = "") -> ItemResult:
        """The item's result; ``hint`` and ``not_attempted_hint`` are in the reader's
        language already."""
        text = messages.CASES[item.grade_id]
        if self.passed == self.total:
            return ItemResult(item.grade_id, item.points, item.points, Status.CORRECT,
                              _(text["correct"]).format(n=self.total))
        if not self.attempted:
            return ItemResult(item.grade_id, 0, item.points, Status.NOT_ATTEMPTED,
                              _(text["untouched"]), not_attempted_hint)
        case, problem = self.problems[0]
        message = _(text["some"]).format(passed=self.passed, total=self.total, case=case,
                                         problem=problem)
        if self.failed_calls == self.total:  # every call failed: nothing could be judged
            status = Status.ERROR
        else:
            status = Status.PARTIAL if self.passed else Status.INCORRECT
        return diagnosed(ItemResult(item.grade_id, item.points * self.passed / self.total,
                                    item.points, status, message, hint), self.mistake)
