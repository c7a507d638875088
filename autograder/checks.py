"""One check per graded item, with its messages and hints beside it.

Every check takes what the student produced and what was expected and returns
an :class:`~autograder.results.ItemResult`. The checks do not know where the
expected values came from: the grader passes the reference solution's values,
a student's self-check passes the article's known numbers or finite
differences. That is how both show the same messages.
"""

import numpy as np

from . import compare as cmp
from .course import EX2_ACCURACY_THRESHOLD, ITEMS_BY_ID, ex1_item
from . import diagnose
from .results import (CARRIED_FORWARD, CORRECT, ERROR, INCORRECT, NOT_ATTEMPTED, PARTIAL,
                      ItemResult)
from .values import Unavailable

#: Where to look when a quantity is wrong; a pointer to the formula, not code.
HINTS = {
    "error": "The output error is the target minus the network's output, y − ŷ.",
    "output_error_term": (
        "δᵒ = (y − ŷ) · f′(hₒ): the error times the sigmoid's derivative, taken at the output "
        "unit's input (f′(hₒ) = ŷ(1 − ŷ))."
    ),
    "hidden_error": (
        "The hidden error sends the output error term back through the hidden-to-output "
        "weights: W₂ · δᵒ, one value per hidden unit."
    ),
    "hidden_error_term": (
        "δʰ = hidden error ⊙ f′(h): multiply by the sigmoid's derivative at each hidden unit's "
        "input."
    ),
    "delta_w_h_o": (
        "ΔW₂ = η · δᵒ · a: the learning rate times the output error term times the hidden "
        "activations (not the hidden inputs)."
    ),
    "delta_w_i_h": (
        "Δw₁ = η · δʰ · x, arranged with one row per input and one column per hidden unit: "
        "a column of inputs, x[:, None], times the row of hidden error terms."
    ),
}
SHAPE_HINT = "Check the shapes in the table above the exercise."

#: Which of the six quantities a shape problem concerns.
EX1_SHAPES_HINT = {
    "delta_w_i_h": (
        "Δw₁ must have the shape of weights_input_hidden, (n_inputs, n_hidden): use x[:, None] "
        "(a column) times the hidden error terms."
    ),
}


def _not_attempted(item, name, reason):
    return ItemResult(item.grade_id, 0, item.points, NOT_ATTEMPTED,
                      f"Not attempted: `{name}` {reason}.")


def _unavailable(item, name, value: Unavailable):
    if value.not_attempted:
        return _not_attempted(item, name, value.reason)
    return ItemResult(item.grade_id, 0, item.points, ERROR, f"`{name}` {value.reason}.")


def ex1_quantity(quantity: str, got, expected, *, rtol=cmp.RTOL, atol=cmp.ATOL) -> ItemResult:
    """One of Example 1's six quantities against its expected value."""
    item = ex1_item(quantity)
    if isinstance(got, Unavailable):
        return _unavailable(item, quantity, got)
    if got is None:
        return _not_attempted(item, quantity, "is still the placeholder `None`")
    outcome = cmp.compare(got, expected, rtol=rtol, atol=atol)
    if outcome.ok:
        return ItemResult(item.grade_id, item.points, item.points, CORRECT,
                          f"`{quantity}` is correct.")
    if outcome.status in (cmp.SHAPE, cmp.TRANSPOSED):
        hint = EX1_SHAPES_HINT.get(quantity, SHAPE_HINT)
    else:
        hint = HINTS[quantity]
    return ItemResult(item.grade_id, 0, item.points, INCORRECT,
                      f"`{quantity}` {outcome.detail}.", hint)


def _diagnosed(result: ItemResult, mistake) -> ItemResult:
    if mistake is not None and not result.passed:
        result.diagnosis = mistake.name
        result.hint = mistake.hint
    return result


def ex1_in_context(quantity: str, got: dict, expected: dict, forward, *, carry_forward=True,
                   rtol=cmp.RTOL, atol=cmp.ATOL) -> ItemResult:
    """One Example 1 quantity, judged against the expected value and, when that fails,
    against what the student's own upstream value implies (error carried forward).
    A wrong value that matches a catalogued mistake gets its name and hint."""
    tol = dict(rtol=rtol, atol=atol)
    result = ex1_quantity(quantity, got.get(quantity), expected[quantity], **tol)
    if result.status not in (INCORRECT, ERROR):
        return result
    upstream = diagnose.UPSTREAM.get(quantity)
    if carry_forward and upstream and cmp.as_array(got.get(upstream)) is not None:
        implied = diagnose.carried_forward(quantity, got, expected)
        value = got.get(quantity)
        if (implied is not None and not isinstance(value, Unavailable)
                and cmp.compare(value, implied, **tol).ok):
            return ItemResult(result.grade_id, result.max_score, result.max_score,
                              CARRIED_FORWARD,
                              f"`{quantity}` differs from the expected value only because "
                              f"`{upstream}` does: it follows correctly from your `{upstream}`, "
                              "so this step earns its marks (error carried forward).")
    return _diagnosed(result, diagnose.ex1_mistake(quantity, got, expected, forward, tol))


def first_difference(names, got, expected, *, rtol=cmp.RTOL, atol=cmp.ATOL):
    """The first of ``names`` whose value differs, with the comparison, or ``None``."""
    for name, value, want in zip(names, got, expected):
        if isinstance(value, Unavailable):
            return name, cmp.Comparison(cmp.MISSING, value.reason)
        outcome = cmp.compare(value, want, rtol=rtol, atol=atol)
        if not outcome.ok:
            return name, outcome
    return None


def ex1_other_inputs(cases, names, *, rtol=cmp.RTOL, atol=cmp.ATOL) -> ItemResult:
    """``backprop_step`` on other networks: ``cases`` is ``[(label, got, expected, forward)]``.

    ``got`` is a tuple of the six values, or an :class:`Unavailable` when the
    call failed. Only the shape of each network is shown, never its inputs.
    """
    item = ITEMS_BY_ID["ex1_other_inputs"]
    passed, problems = 0, []
    attempted, mistake = False, None
    for label, got, expected, forward in cases:
        if isinstance(got, Unavailable):
            attempted = attempted or not got.not_attempted
            problems.append(f"on {label}, `backprop_step` {got.reason}")
            if mistake is None and "could not be broadcast" in got.reason:
                mistake = diagnose.CATALOGUE["x_not_column"]
            continue
        if all(value is None for value in got):
            problems.append(f"on {label}, every quantity is still `None`")
            continue
        attempted = True
        difference = first_difference(names, got, expected, rtol=rtol, atol=atol)
        if difference is None:
            passed += 1
        else:
            name, outcome = difference
            problems.append(f"on {label}, `{name}` {outcome.detail}")
            if mistake is None:
                mistake = diagnose.ex1_mistake(name, dict(zip(names, got)),
                                               dict(zip(names, expected)), forward,
                                               dict(rtol=rtol, atol=atol))
    total = len(cases)
    if passed == total:
        return ItemResult(item.grade_id, item.points, item.points, CORRECT,
                          f"`backprop_step` is correct on all {total} other networks.")
    if not attempted:
        return ItemResult(item.grade_id, 0, item.points, NOT_ATTEMPTED,
                          "Not attempted: " + problems[0] + ".")
    status = PARTIAL if passed else INCORRECT
    message = f"`backprop_step` is correct on {passed} of {total} other networks; " + problems[0] + "."
    hint = ("Your function must use its parameters, not the article's numbers or global "
            "variables, and work for any number of inputs and hidden units.")
    return _diagnosed(ItemResult(item.grade_id, item.points * passed / total, item.points,
                                 status, message, hint), mistake)


WEIGHT_NAMES = ("weights_input_hidden", "weights_hidden_output")


def _weights_outcomes(got, expected, rtol, atol):
    return [cmp.compare(value, want, rtol=rtol, atol=atol) for value, want in zip(got, expected)]


def unchanged(got, initial):
    try:
        return all(np.array_equal(np.asarray(value, dtype=float), start)
                   for value, start in zip(got, initial))
    except (TypeError, ValueError):
        return False


TRAINING_HINT = (
    "Inside the loop, add each record's step to del_w_hidden_output (δᵒ · hidden_output) and "
    "del_w_input_hidden (δʰ · x[:, None]); after the loop over records, move each weight by "
    "learnrate × its accumulated step / n_records."
)


def ex2_weights(grade_id: str, when: str, got, expected, initial, variants=None,
                *, rtol=cmp.TRAINING_RTOL, atol=cmp.TRAINING_ATOL, mistake=None) -> ItemResult:
    """The trained weights ``(weights_input_hidden, weights_hidden_output)``.

    ``got`` is the pair the student produced, or an :class:`Unavailable`.
    ``initial`` is the pair drawn with the pinned seed, to recognise a loop
    that never moves the weights.
    """
    item = ITEMS_BY_ID[grade_id]
    if isinstance(got, Unavailable):
        return _unavailable(item, "train_nn", got)
    if unchanged(got, initial):
        return ItemResult(item.grade_id, 0, item.points, NOT_ATTEMPTED,
                          f"Not attempted: the weights {when} are still the starting weights.",
                          TRAINING_HINT)
    outcomes = _weights_outcomes(got, expected, rtol, atol)
    good = sum(outcome.ok for outcome in outcomes)
    if good == 2:
        return ItemResult(item.grade_id, item.points, item.points, CORRECT,
                          f"The weights {when} are correct.")
    wrong = [f"`{name}` {outcome.detail}" for name, outcome in zip(WEIGHT_NAMES, outcomes)
             if not outcome.ok]
    if variants:
        pairs = {name: trajectory[:2] for name, trajectory in variants.items()}
        mistake = diagnose.training_mistake(got, pairs, dict(rtol=rtol, atol=atol)) or mistake
    return _diagnosed(ItemResult(item.grade_id, item.points * good / 2, item.points,
                                 PARTIAL if good else INCORRECT,
                                 f"The weights {when} are wrong: " + "; ".join(wrong) + ".",
                                 TRAINING_HINT), mistake)


NEVER_TRAINED = Unavailable("cannot be judged: the weights never moved from their starting "
                            "values", not_attempted=True)


def ex2_loss(losses, expected, *, rtol=cmp.TRAINING_RTOL, atol=cmp.TRAINING_ATOL,
             mistake=None) -> ItemResult:
    """Half the points for a loss that never increases, half for matching ``expected``."""
    item = ITEMS_BY_ID["ex2_loss"]
    if isinstance(losses, Unavailable):
        return _unavailable(item, "losses", losses)
    curve = cmp.as_array(losses)
    expected = np.asarray(expected, dtype=float)
    if curve is None or curve.ndim != 1 or curve.size != expected.size:
        shape = "nothing numeric" if curve is None else cmp.shape_text(curve.shape)
        return ItemResult(item.grade_id, 0, item.points, INCORRECT,
                          f"`losses` should hold one loss per epoch ({expected.size} values), "
                          f"got {shape}.")
    if curve.size > 1 and np.all(curve == curve[0]):
        return _unavailable(item, "losses", NEVER_TRAINED)
    if not np.all(np.isfinite(curve)):
        return ItemResult(item.grade_id, 0, item.points, INCORRECT,
                          "The training loss became nan or inf: the weights diverged.",
                          TRAINING_HINT)
    increases = int(np.sum(np.diff(curve) > atol))
    matches = cmp.compare(curve, expected, rtol=rtol, atol=atol).ok
    score = item.points / 2 * ((increases == 0) + matches)
    if increases == 0 and matches:
        return ItemResult(item.grade_id, score, item.points, CORRECT,
                          "The training loss never increases and follows the expected curve.")
    curve_text = (f"the expected curve (final loss {curve[-1]:.6f}, expected "
                  f"{expected[-1]:.6f})")
    if increases:
        first = int(np.argmax(np.diff(curve) > atol)) + 1
        rise = f"The training loss increases in {increases} epochs (first at epoch {first})"
        message = f"{rise} and does not follow {curve_text}" if not matches else rise
    else:
        message = f"The training loss never increases, but it does not follow {curve_text}"
    return _diagnosed(ItemResult(item.grade_id, score, item.points,
                                 PARTIAL if score else INCORRECT,
                                 message + ".", TRAINING_HINT), mistake)


def ex2_accuracy(accuracy, threshold=EX2_ACCURACY_THRESHOLD, mistake=None) -> ItemResult:
    """Test accuracy of the trained weights on the pinned split."""
    item = ITEMS_BY_ID["ex2_accuracy"]
    if isinstance(accuracy, Unavailable):
        return _unavailable(item, "train_nn", accuracy)
    if accuracy >= threshold - 1e-12:
        return ItemResult(item.grade_id, item.points, item.points, CORRECT,
                          f"Test accuracy {accuracy:.3f} reaches the threshold {threshold:.3f}.")
    return _diagnosed(ItemResult(item.grade_id, 0, item.points, INCORRECT,
                                 f"Test accuracy {accuracy:.3f} is below the threshold "
                                 f"{threshold:.3f} (admitting nobody already scores 0.650).",
                                 TRAINING_HINT), mistake)


def ex2_other_data(cases, *, rtol=cmp.TRAINING_RTOL, atol=cmp.TRAINING_ATOL) -> ItemResult:
    """``train_nn`` on other data: ``cases`` is ``[(label, got, expected, initial, variants)]``.

    ``got`` and ``expected`` are ``(w1, w2, losses)`` triples; ``variants`` maps
    a catalogued mistake to the triple that mistake produces on the same data.
    """
    item = ITEMS_BY_ID["ex2_other_data"]
    names = WEIGHT_NAMES + ("losses",)
    passed, problems, attempted, mistake = 0, [], False, None
    for label, got, expected, initial, variants in cases:
        if isinstance(got, Unavailable):
            attempted = attempted or not got.not_attempted
            problems.append(f"on {label}, `train_nn` {got.reason}")
            continue
        if unchanged(got[:2], initial):
            problems.append(f"on {label}, the weights never move")
            continue
        attempted = True
        difference = first_difference(names, got, expected, rtol=rtol, atol=atol)
        if difference is None:
            passed += 1
        else:
            name, outcome = difference
            problems.append(f"on {label}, `{name}` {outcome.detail}")
            mistake = mistake or diagnose.training_mistake(got, variants or {},
                                                           dict(rtol=rtol, atol=atol))
    total = len(cases)
    if passed == total:
        return ItemResult(item.grade_id, item.points, item.points, CORRECT,
                          f"`train_nn` is correct on all {total} other data sets.")
    if not attempted:
        return ItemResult(item.grade_id, 0, item.points, NOT_ATTEMPTED,
                          "Not attempted: " + problems[0] + ".", TRAINING_HINT)
    return _diagnosed(ItemResult(item.grade_id, item.points * passed / total, item.points,
                                 PARTIAL if passed else INCORRECT,
                                 f"`train_nn` is correct on {passed} of {total} other data sets; "
                                 + problems[0] + ".",
                                 "Use the function's parameters (features, targets, epochs, "
                                 "learnrate, n_hidden), not the global data or hyperparameters. "
                                 + TRAINING_HINT), mistake)
