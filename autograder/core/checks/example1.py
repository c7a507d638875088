"""Example 1's checks: the six quantities, and ``backprop_step`` on other networks."""

from ...i18n import _
from .. import compare as cmp
from .. import diagnose, messages
from ..course import ITEMS_BY_ID, ex1_item
from ..results import ItemResult, Status
from ..values import Unavailable
from .common import CaseTally, diagnosed, not_attempted, unavailable

#: Hints for a wrong value that matches no known mistake, and for a wrong shape
#: (the texts live in :mod:`autograder.core.messages`, marked for translation: look
#: them up with ``_()``).
HINTS = messages.NO_CAUSE
SHAPE_HINT = messages.SHAPE
EX1_SHAPES_HINT = messages.SHAPE_BY_NAME


def ex1_quantity(quantity: str, got, expected, *, rtol=cmp.RTOL, atol=cmp.ATOL) -> ItemResult:
    """One of Example 1's six quantities against its expected value."""
    item = ex1_item(quantity)
    if isinstance(got, Unavailable):
        return unavailable(item, quantity, got)
    if got is None:
        return not_attempted(item, _("Not attempted: `{name}` is still the placeholder "
                                     "`None`.").format(name=quantity))
    outcome = cmp.compare(got, expected, rtol=rtol, atol=atol)
    if outcome.ok:
        return ItemResult(item.grade_id, item.points, item.points, Status.CORRECT,
                          _("`{name}` is correct.").format(name=quantity))
    if outcome.status in (cmp.SHAPE, cmp.TRANSPOSED):
        hint = _(EX1_SHAPES_HINT.get(quantity, SHAPE_HINT))
    else:
        hint = _(HINTS[quantity])
    return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT,
                      messages.describe(quantity, outcome), hint)


def ex1_in_context(quantity: str, got: dict, expected: dict, forward, *, carry_forward=True,
                   rtol=cmp.RTOL, atol=cmp.ATOL, evidence=None) -> ItemResult:
    """One Example 1 quantity, judged against the expected value and, when that fails,
    against what the student's own upstream value implies (error carried forward).

    ``evidence`` (a :class:`~autograder.core.diagnose.StepEvidence`) holds what the
    student's function gave on the article's network and on others; method marks need
    the relation on more than one network, and a wrong value gets the name and hint of
    the one slip that explains it there (default: the article's network alone)."""
    tol = dict(rtol=rtol, atol=atol)
    result = ex1_quantity(quantity, got.get(quantity), expected[quantity], **tol)
    if result.status not in (Status.INCORRECT, Status.ERROR):
        return result
    evidence = evidence or diagnose.StepEvidence.article(got, **tol)
    upstream = diagnose.UPSTREAM.get(quantity)
    if carry_forward and upstream and cmp.as_array(got.get(upstream)) is not None:
        if diagnose.carried_forward(quantity, evidence):
            return ItemResult(result.grade_id, result.max_score, result.max_score,
                              Status.CARRIED_FORWARD,
                              _("`{quantity}` differs from the expected value only because "
                                "`{upstream}` does: it follows correctly from your "
                                "`{upstream}`, so this step earns its marks (error carried "
                                "forward).").format(quantity=quantity, upstream=upstream))
    return diagnosed(result, diagnose.ex1_mistake(quantity, evidence))


def ex1_other_inputs(cases, names, *, article_ok=None, rtol=cmp.RTOL, atol=cmp.ATOL,
                     evidence=None) -> ItemResult:
    """``backprop_step`` on other networks: ``cases`` is ``[(label, got, expected, forward)]``.

    ``got`` is a tuple of the six values, or an :class:`Unavailable` when the
    call failed. Only the shape of each network is shown, never its inputs.
    ``article_ok`` says whether the six values on the article's inputs are
    right: only then can "use your parameters" be the cause of a failure.
    ``evidence`` (every network, see :func:`ex1_in_context`) names the slip.
    """
    tol = dict(rtol=rtol, atol=atol)
    tally = CaseTally("backprop_step", "other networks")
    for label, got, expected, _forward in cases:
        if isinstance(got, Unavailable):
            tally.unavailable(label, got)
        elif all(value is None for value in got):
            tally.untouched(label, "every quantity is still `None`")
        else:
            tally.compare(label, names, got, expected, tol)
    if evidence is not None:
        tally.mistake = diagnose.ex1_function_mistake(evidence)
    item = ITEMS_BY_ID["ex1_other_inputs"]
    hint = (messages.USE_PARAMETERS if article_ok else messages.FIX_ARTICLE_FIRST)[item.grade_id]
    return tally.result(item, _(hint), _(messages.START[item.grade_id]))
