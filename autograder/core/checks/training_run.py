"""Example 2's results must be one training's: the losses belong to the weights.

The grader calls ``train_nn`` itself: the full run on the course data (in
place of the notebook's own call) and a one-epoch run. A function that makes
its losses up, or returns weights found some other way (a search on the test
split, say), hands over numbers that do not fit together. Three relations
hold for every honest ``train_nn``, right or wrong, and cost no training to
check:

* the last loss of the full run is the training MSE of the weights it returned;
* the loss of the one-epoch run is the training MSE of the weights it returned;
* the first loss of the full run is the loss of the one-epoch run.

A run that breaks one scores 0 for its losses, and its accuracy counts only
when its weights are the expected ones anyway.
"""

from dataclasses import dataclass

import numpy as np

from ...i18n import N_, _
from .. import compare as cmp
from .. import oracle
from ..course import ITEMS_BY_ID
from ..results import ItemResult, Status
from ..values import Unavailable

LOSS_HINT = N_(
    "After each epoch's update, append to `losses` the mean squared error of the network's "
    "predictions over all training records, computed with the updated weights: the last "
    "loss is then the loss of the weights `train_nn` returns.")
#: The first epoch of the full run is not the one-epoch run: an honest function does that
#: when one epoch depends on the number of epochs, or on anything but ``seed`` for its start.
EPOCH_HINT = N_(
    "One epoch of `train_nn` must not depend on how many epochs it is asked for: `epochs` "
    "only sets how many times the loop over the epochs runs, so look at that loop's count "
    "and at every line that uses `epochs`. Its starting weights come from "
    "`np.random.seed(seed)` alone, so two calls with the same arguments give the same "
    "results.")


@dataclass(frozen=True)
class RunProblem:
    """Why a run's results do not fit together (``text``, a clause) and what to look at
    (``hint``), both in the reader's language."""

    text: str
    hint: str
    about_losses: bool = True  # the losses do not belong to the weights returned


def curve_of(losses):
    """``losses`` as a 1-D array of at least one number, or ``None``."""
    if isinstance(losses, Unavailable):
        return None
    curve = cmp.as_array(losses)
    return curve if curve is not None and curve.ndim == 1 and curve.size else None


def training_mse(features, targets, weights):
    """The training MSE of ``(w1, w2)``, or ``None`` when they are not usable weights."""
    try:
        w1, w2 = (np.asarray(w, dtype=np.float64) for w in weights)
        if w1.ndim != 2 or w1.shape[0] != features.shape[1] or w2.size != w1.shape[1]:
            return None
        with np.errstate(all="ignore"):
            return float(oracle.mean_squared_error(features, targets, w1, w2.reshape(-1)))
    except (TypeError, ValueError, OverflowError):
        return None


def run_problem(final, first, features, targets, tol) -> RunProblem | None:
    """Why the full run ``final`` and the one-epoch run ``first`` (``(w1, w2,
    losses)`` triples, or :class:`Unavailable`) are not one training's results,
    or ``None`` when they are (or when the weights cannot be used at all)."""
    if isinstance(final, Unavailable):
        return None
    mse = training_mse(features, targets, final[:2])
    if mse is None:
        return None
    curve = curve_of(final[2])
    if curve is None:
        return RunProblem(_("`losses` is not one number per epoch, so it cannot show how the "
                            "weights came about"), _(LOSS_HINT))
    if not cmp.compare(curve[-1], mse, **tol).ok:
        return RunProblem(_("the last loss, {loss:.6g}, is not the training MSE of the "
                            "weights `train_nn` returned, {mse:.6g}").format(
                                loss=curve[-1], mse=mse), _(LOSS_HINT))
    if isinstance(first, Unavailable):
        return None
    first_curve, first_mse = curve_of(first[2]), training_mse(features, targets, first[:2])
    if first_curve is None or first_mse is None:
        return None
    if not cmp.compare(first_curve[-1], first_mse, **tol).ok:
        return RunProblem(_("after one epoch, the loss `train_nn` returned, {loss:.6g}, is not "
                            "the training MSE of the weights it returned, {mse:.6g}").format(
                                loss=first_curve[-1], mse=first_mse), _(LOSS_HINT))
    if not cmp.compare(curve[0], first_curve[-1], **tol).ok:
        return RunProblem(_("the first loss of the full training, {loss:.6g}, is not the loss "
                            "that `train_nn` returns when asked for one epoch, {one:.6g}").format(
                                loss=curve[0], one=first_curve[-1]),
                          _(EPOCH_HINT), about_losses=False)
    return None


def judges_losses(losses, size) -> bool:
    """Whether the relations speak about ``losses``: one finite loss per epoch
    (otherwise :func:`~.example2.ex2_loss` says what is wrong with them)."""
    curve = curve_of(losses)
    return curve is not None and curve.size == size and bool(np.all(np.isfinite(curve)))


def losses_not_trained(problem: RunProblem) -> ItemResult:
    item = ITEMS_BY_ID["ex2_loss"]
    if problem.about_losses:
        message = _("These are not the losses of the training `train_nn` ran: {problem}.")
    else:
        message = _("The losses are not credited: {problem}.")
    message = message.format(problem=problem.text)
    return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT, message, problem.hint)


def accuracy_not_credited(accuracy: float, problem: RunProblem) -> ItemResult:
    item = ITEMS_BY_ID["ex2_accuracy"]
    return ItemResult(item.grade_id, 0, item.points, Status.INCORRECT,
                      _("Test accuracy {accuracy:.3f} is not credited: it counts for weights "
                        "that `train_nn`'s losses show its own training produced, and here "
                        "{problem}.").format(accuracy=accuracy, problem=problem.text),
                      problem.hint)
