"""Example 1's checks: the six quantities, and ``backprop_step`` on other networks."""

from .. import compare as cmp
from .. import diagnose, messages
from ..course import ITEMS_BY_ID, ex1_item
from ..results import ItemResult, Status
from ..values import Unavailable
from .common import CaseTally, diagnosed, not_attempted, unavailable

#: Hints for a wrong value that matches no known mistake, and for a wrong shape
#: (the texts live in :mod:`autograder.core.messages`).
HINTS = messages.NO_CAUSE
SHAPE_HINT = messages.SHAPE
EX1_SHAPES_HINT = messages.SHAPE_BY_NAME


def ex1_quantity(quantity: str, got, expected, *, rtol=cmp.RTOL, atol=cmp.ATOL) -> ItemResult:
    """One of Example 1's six quantities against its expected value."""
    item = ex1_item(quantity)
    if isinstance(got, Unavailable):
        return unavailable(item, quantity, got)
    if got is None:
        return not_attempted(item, quantity, "is still the placeholder `None`")
    outcome = cmp.compare(got, expected, rtol=rtol, atol=atol)
    if outcome.ok:
        return ItemResult(item.grade_id, item.points, item.points, Status.CORRECT,
                          f"`{quantity}` is correct.")
    if outcome.status in (cmp.SHAPE, cmp.TRANSPOSED):
        hint = EX1_SHAPES_HINT.get(quantity, SHAPE_HINT)
    else:
        hint = HINTS[quantity]
    return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT,
                      messages.describe(quantity, outcome), hint)


def ex1_in_context(quantity: str, got: dict, expected: dict, forward, *, carry_forward=True,
                   rtol=cmp.RTOL, atol=cmp.ATOL) -> ItemResult:
    """One Example 1 quantity, judged against the expected value and, when that fails,
    against what the student's own upstream value implies (error carried forward).
    A wrong value that matches a catalogued mistake gets its name and hint."""
    tol = dict(rtol=rtol, atol=atol)
    result = ex1_quantity(quantity, got.get(quantity), expected[quantity], **tol)
    if result.status not in (Status.INCORRECT, Status.ERROR):
        return result
    upstream = diagnose.UPSTREAM.get(quantity)
    if carry_forward and upstream and cmp.as_array(got.get(upstream)) is not None:
        implied = diagnose.carried_forward(quantity, got, expected)
        value = got.get(quantity)
        if (implied is not None and not isinstance(value, Unavailable)
                and cmp.compare(value, implied, **tol).ok):
            return ItemResult(result.grade_id, result.max_score, result.max_score,
                              Status.CARRIED_FORWARD,
                              f"`{quantity}` differs from the expected value only because "
                              f"`{upstream}` does: it follows correctly from your `{upstream}`, "
                              "so this step earns its marks (error carried forward).")
    return diagnosed(result, diagnose.ex1_mistake(quantity, got, expected, forward, tol))


def ex1_other_inputs(cases, names, *, article_ok=None, rtol=cmp.RTOL,
                     atol=cmp.ATOL) -> ItemResult:
    """``backprop_step`` on other networks: ``cases`` is ``[(label, got, expected, forward)]``.

    ``got`` is a tuple of the six values, or an :class:`Unavailable` when the
    call failed. Only the shape of each network is shown, never its inputs.
    ``article_ok`` says whether the six values on the article's inputs are
    right: only then can "use your parameters" be the cause of a failure.
    """
    tol = dict(rtol=rtol, atol=atol)
    tally = CaseTally("backprop_step", "other networks")
    for label, got, expected, forward in cases:
        if isinstance(got, Unavailable):
            tally.unavailable(label, got)
            if tally.mistake is None and "could not be broadcast" in got.reason:
                tally.mistake = diagnose.CATALOGUE["x_not_column"]
        elif all(value is None for value in got):
            tally.untouched(label, "every quantity is still `None`")
        else:
            difference = tally.compare(label, names, got, expected, tol)
            if difference is not None and tally.mistake is None:
                tally.mistake = diagnose.ex1_mistake(difference[0], dict(zip(names, got)),
                                                     dict(zip(names, expected)), forward, tol)
    item = ITEMS_BY_ID["ex1_other_inputs"]
    hint = (messages.USE_PARAMETERS if article_ok else messages.FIX_ARTICLE_FIRST)[item.grade_id]
    return tally.result(item, hint, messages.START[item.grade_id])
