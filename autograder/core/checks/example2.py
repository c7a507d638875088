"""Example 2's checks: the trained weights, the loss curve, the accuracy, other data."""

import numpy as np

from ...i18n import N_, _, ngettext
from .. import compare as cmp
from .. import messages
from ..course import EX2_ACCURACY_THRESHOLD, ITEMS_BY_ID
from ..results import ItemResult, Status
from ..values import Unavailable
from .common import CaseTally, diagnosed, unavailable

WEIGHT_NAMES = ("weights_input_hidden", "weights_hidden_output")


def _weights_outcomes(got, expected, rtol, atol):
    return [cmp.compare(value, want, rtol=rtol, atol=atol) for value, want in zip(got, expected)]


def unchanged(got, initial):
    try:
        return all(np.array_equal(np.asarray(value, dtype=float), start)
                   for value, start in zip(got, initial))
    except (TypeError, ValueError):
        return False


#: The hint for a wrong training that matches no known mistake (marked for translation:
#: look it up with ``_()``).
TRAINING_HINT = messages.NO_TRAINING_CAUSE


def ex2_weights(grade_id: str, when: str, got, expected, initial,
                *, rtol=cmp.TRAINING_RTOL, atol=cmp.TRAINING_ATOL, mistake=None,
                trained_elsewhere=False) -> ItemResult:
    """The trained weights ``(weights_input_hidden, weights_hidden_output)``.

    ``got`` is the pair the student produced, or an :class:`Unavailable`.
    ``initial`` is the pair drawn with the pinned seed, to recognise a loop
    that never moves the weights. ``when`` is kept for callers; the messages
    are chosen by ``grade_id`` (:mod:`autograder.core.messages`). ``mistake`` is
    what the finder made of the student's training
    (:func:`~autograder.core.diagnose.training_mistake`). ``trained_elsewhere`` says
    that another run of the same ``train_nn`` (the full training) moved the weights:
    unchanged weights are then a loop that skips an epoch, not an untouched TODO.
    """
    item = ITEMS_BY_ID[grade_id]
    if isinstance(got, Unavailable):
        return unavailable(item, "train_nn", got)
    if unchanged(got, initial):
        if trained_elsewhere:
            return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT,
                              _(messages.FIRST_EPOCH_SKIPPED),
                              _(messages.FIRST_EPOCH_SKIPPED_HINT))
        return ItemResult(item.grade_id, 0, item.points, Status.NOT_ATTEMPTED,
                          _(messages.WEIGHTS_UNTOUCHED[grade_id]),
                          _(messages.START[item.grade_id]))
    outcomes = _weights_outcomes(got, expected, rtol, atol)
    good = sum(outcome.ok for outcome in outcomes)
    if good == 2:
        return ItemResult(item.grade_id, item.points, item.points, Status.CORRECT,
                          _(messages.WEIGHTS_CORRECT[grade_id]))
    wrong = [messages.describe(name, outcome) for name, outcome in zip(WEIGHT_NAMES, outcomes)
             if not outcome.ok]
    return diagnosed(ItemResult(item.grade_id, item.points * good / 2, item.points,
                                 Status.PARTIAL if good else Status.INCORRECT,
                                 _(messages.WRONG_WEIGHTS[grade_id]).format(
                                     problem=messages.sentences(*wrong)),
                                 _(TRAINING_HINT)), mistake)


#: What verdicts pass for the loss and the accuracy when the weights never moved.
NEVER_TRAINED = Unavailable(N_("`{name}` cannot be judged: the weights never moved from their "
                               "starting values."), not_attempted=True)


def _never_trained(item, message) -> ItemResult:
    return ItemResult(item.grade_id, 0, item.points, Status.NOT_ATTEMPTED, _(message),
                      _(messages.START[item.grade_id]))


def ex2_loss(losses, expected, *, rtol=cmp.TRAINING_RTOL, atol=cmp.TRAINING_ATOL,
             mistake=None) -> ItemResult:
    """Half the points for a loss that never increases, half for matching ``expected``."""
    item = ITEMS_BY_ID["ex2_loss"]
    if losses is NEVER_TRAINED:
        return _never_trained(item, messages.NEVER_TRAINED["ex2_loss"])
    if isinstance(losses, Unavailable):
        return unavailable(item, "losses", losses)
    curve = cmp.as_array(losses)
    expected = np.asarray(expected, dtype=float)
    if curve is None or curve.ndim != 1 or curve.size != expected.size:
        if curve is None:
            message = _("`losses` should hold one loss per epoch ({want} values), got nothing "
                        "numeric.")
        elif curve.ndim == 1:
            message = ngettext(
                "`losses` should hold one loss per epoch ({want} values), got {n} value.",
                "`losses` should hold one loss per epoch ({want} values), got {n} values.",
                curve.size)
        elif curve.ndim == 0:
            message = _("`losses` should hold one loss per epoch ({want} values), got a single "
                        "number.")
        else:
            message = _("`losses` should hold one loss per epoch ({want} values), got an "
                        "array of shape {shape}.")
        return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT, message.format(
            want=expected.size, n=curve.size if curve is not None else 0,
            shape="×".join(str(n) for n in getattr(curve, "shape", ()))))
    if curve.size > 1 and np.all(curve == curve[0]):
        return _never_trained(item, messages.NEVER_TRAINED["ex2_loss"])
    if not np.all(np.isfinite(curve)):
        return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT,
                          _("The training loss became nan or inf: the weights diverged."),
                          _(TRAINING_HINT))
    increases = int(np.sum(np.diff(curve) > atol))
    matches = cmp.compare(curve, expected, rtol=rtol, atol=atol).ok
    score = item.points / 2 * ((increases == 0) + matches)
    if increases == 0 and matches:
        return ItemResult(item.grade_id, score, item.points, Status.CORRECT,
                          _("The training loss never increases and follows the expected "
                            "curve."))
    fields = dict(final=curve[-1], expected=expected[-1])
    if increases:
        fields.update(n=increases, first=int(np.argmax(np.diff(curve) > atol)) + 1)
        if matches:
            message = ngettext(
                "The training loss increases in {n} epoch (at epoch {first}).",
                "The training loss increases in {n} epochs (first at epoch {first}).",
                increases)
        else:
            message = ngettext(
                "The training loss increases in {n} epoch (at epoch {first}) and does not "
                "follow the expected curve (final loss {final:.6f}, expected {expected:.6f}).",
                "The training loss increases in {n} epochs (first at epoch {first}) and does "
                "not follow the expected curve (final loss {final:.6f}, expected "
                "{expected:.6f}).",
                increases)
        message = message.format(**fields)
    else:
        message = _("The training loss never increases, but it does not follow the expected "
                    "curve (final loss {final:.6f}, expected {expected:.6f}).").format(**fields)
    return diagnosed(ItemResult(item.grade_id, score, item.points,
                                 Status.PARTIAL if score else Status.INCORRECT,
                                 message, _(TRAINING_HINT)), mistake)


def ex2_accuracy(accuracy, threshold=EX2_ACCURACY_THRESHOLD, mistake=None) -> ItemResult:
    """Test accuracy of the trained weights on the pinned split."""
    item = ITEMS_BY_ID["ex2_accuracy"]
    if accuracy is NEVER_TRAINED:
        return _never_trained(item, messages.NEVER_TRAINED["ex2_accuracy"])
    if isinstance(accuracy, Unavailable):
        return unavailable(item, "train_nn", accuracy)
    if accuracy >= threshold - 1e-12:
        return ItemResult(item.grade_id, item.points, item.points, Status.CORRECT,
                          _("Test accuracy {accuracy:.3f} reaches the threshold "
                            "{threshold:.3f}.").format(accuracy=accuracy, threshold=threshold))
    return diagnosed(ItemResult(item.grade_id, 0, item.points, Status.INCORRECT,
                                 _("Test accuracy {accuracy:.3f} is below the threshold "
                                   "{threshold:.3f} (admitting nobody already scores "
                                   "0.650).").format(accuracy=accuracy, threshold=threshold),
                                 _(TRAINING_HINT)), mistake)


def ex2_other_data(cases, *, article_ok=None, rtol=cmp.TRAINING_RTOL,
                   atol=cmp.TRAINING_ATOL, mistake=None) -> ItemResult:
    """``train_nn`` on other data: ``cases`` is ``[(label, got, expected, initial)]``.

    ``got`` and ``expected`` are ``(w1, w2, losses)`` triples; ``mistake`` is
    what the finder made of the student's training. ``article_ok`` says whether
    the first epoch on the course data is right: only then can "use your
    parameters" be the cause of a failure.
    """
    tol = dict(rtol=rtol, atol=atol)
    if article_ok and mistake is not None and not mistake.name:
        mistake = None   # right on the course data: the hint about the parameters fits
    tally = CaseTally("train_nn", "other data sets", mistake=mistake)
    for label, got, expected, initial in cases:
        if isinstance(got, Unavailable):
            tally.unavailable(label, got)
        elif unchanged(got[:2], initial):
            tally.untouched(label, "the weights never move")
        else:
            tally.compare(label, WEIGHT_NAMES + ("losses",), got, expected, tol)
    item = ITEMS_BY_ID["ex2_other_data"]
    hint = (messages.USE_PARAMETERS if article_ok else messages.FIX_ARTICLE_FIRST)[item.grade_id]
    return tally.result(item, _(hint), _(messages.START[item.grade_id]))
