"""Name the backpropagation mistake behind a wrong value, and carry errors forward.

Every common mistake leaves a numeric signature. Example 1's quantities are
each a simple function of the one before, so a mistake can be recognised by
rebuilding the wrong value from the *expected* values and the public forward
pass alone (a flipped sign, a missing factor of η, a derivative taken of the
activation). Example 2's mistakes are recognised by matching the student's
training trajectory against the same training done wrong on the same inputs.

The same structure gives *error carried forward*: every downstream quantity
is linear in the one it is built from, so what a student's own upstream value
implies is ``expected_downstream × (student_upstream / expected_upstream)``.
No solution code is needed for any of it.

A diagnosis is only ever attached to a value that is wrong.
"""

from dataclasses import dataclass

import numpy as np

from . import compare as cmp
from .oracle import sigmoid_slope
from .values import Unavailable


@dataclass(frozen=True)
class Mistake:
    name: str
    title: str
    hint: str


CATALOGUE = {m.name: m for m in (
    Mistake("sign_error", "sign error",
            "The sign is flipped: the output error is the target minus the output (y − ŷ), and "
            "every step is +η times an error term times an input, so that it points downhill."),
    Mistake("missing_learnrate", "missing learning rate",
            "This weight step is exactly 1/η times the expected one: multiply by the learning "
            "rate η (`learnrate`)."),
    Mistake("no_output_derivative", "no output derivative",
            "`output_error_term` equals `error`: the output error term also needs the sigmoid's "
            "slope at the output unit's input, f′(hₒ)."),
    Mistake("derivative_of_activation", "derivative of the activation",
            "The sigmoid's derivative was taken at the unit's output (its activation) instead of "
            "its input: use f′(h) = f(h)(1 − f(h)), i.e. the activation times one minus the "
            "activation, not f′ applied to the activation."),
    Mistake("hidden_error_from_error", "hidden error built from the output error",
            "`hidden_error` was built from `error`; it must send the output error *term* δᵒ "
            "back through the hidden-to-output weights."),
    Mistake("no_hidden_derivative", "no hidden-layer derivative",
            "`hidden_error_term` equals `hidden_error`: multiply by the sigmoid's slope at each "
            "hidden unit's input, f′(h)."),
    Mistake("delta_uses_hidden_input", "step uses the hidden input",
            "`delta_w_h_o` used the hidden units' inputs h; the step uses their activations "
            "a = f(h), the values the output weights actually multiply."),
    Mistake("x_not_column", "x not made a column",
            "`delta_w_i_h` needs one row per input: turn `x` into a column (x[:, None]) before "
            "multiplying by the hidden error terms, otherwise NumPy pairs the wrong elements."),
    Mistake("transposed_delta", "transposed delta_w_i_h",
            "`delta_w_i_h` is transposed: it must have the shape of `weights_input_hidden`, one "
            "row per input and one column per hidden unit."),
    Mistake("no_learnrate", "no learning rate in the update",
            "The weights move by the whole accumulated sum: multiply it by `learnrate` when you "
            "update the weights (see *Where the learning rate enters*)."),
    Mistake("no_averaging", "no averaging over records",
            "The update uses the sum over the records; divide it by `n_records` to use their "
            "average (see *Many records: three losses*)."),
    Mistake("uphill_update", "update goes uphill",
            "The weights move up the error surface: either the error's sign is flipped "
            "(ŷ − y instead of y − ŷ) or the update subtracts (-=) the step instead of adding it."),
    Mistake("update_every_record", "weights updated after every record",
            "The weights change inside the loop over records; add each record's terms to "
            "`del_w_hidden_output` and `del_w_input_hidden`, and update the weights once per "
            "epoch, after that loop."),
    Mistake("accumulators_not_reset", "accumulators not reset",
            "del_w_input_hidden and del_w_hidden_output keep growing across epochs: set them to "
            "zeros at the start of every epoch."),
)}

UPSTREAM = {
    "output_error_term": "error",
    "hidden_error": "output_error_term",
    "hidden_error_term": "hidden_error",
    "delta_w_h_o": "output_error_term",
    "delta_w_i_h": "hidden_error_term",
}


def _array(value):
    return None if isinstance(value, Unavailable) else cmp.as_array(value)


def _matches(value, candidate, tol):
    got = _array(value)
    if got is None or candidate is None:
        return False
    candidate = np.asarray(candidate, dtype=np.float64)
    if got.shape != candidate.shape and not (got.size == candidate.size == 1):
        return False
    return cmp.compare(got, candidate, **tol).ok


def _ratio(student, expected):
    """``student / expected`` elementwise, or ``None`` when it is undefined."""
    got = _array(student)
    expected = np.asarray(expected, dtype=np.float64)
    if got is None or got.size != expected.size or np.any(np.abs(expected) < 1e-300):
        return None
    return got.reshape(expected.shape) / expected


def carried_forward(quantity, got: dict, expected: dict):
    """What the student's own upstream value implies for ``quantity``, or ``None``."""
    upstream = UPSTREAM.get(quantity)
    if upstream is None:
        return None
    ratio = _ratio(got.get(upstream), expected[upstream])
    if ratio is None:
        return None
    want = np.asarray(expected[quantity], dtype=np.float64)
    if quantity == "delta_w_i_h":
        return want * ratio[None, :]
    return want * ratio


def _candidates(quantity, got, expected, forward):
    """``(mistake name, wrong value)`` pairs to try for one quantity."""
    e = {k: np.asarray(v, dtype=np.float64) for k, v in expected.items()}
    rate = forward["learnrate"]
    pairs = [("sign_error", -e[quantity])]
    if quantity == "output_error_term":
        pairs.append(("no_output_derivative", e["error"]))
        if _array(got.get("error")) is not None:
            pairs.append(("no_output_derivative", _array(got.get("error"))))
        pairs.append(("derivative_of_activation", e["error"] * sigmoid_slope(forward["output"])))
    elif quantity == "hidden_error":
        ratio = e["error"] / e["output_error_term"]
        pairs.append(("hidden_error_from_error", e["hidden_error"] * ratio))
    elif quantity == "hidden_error_term":
        pairs.append(("no_hidden_derivative", e["hidden_error"]))
        if _array(got.get("hidden_error")) is not None:
            pairs.append(("no_hidden_derivative", _array(got.get("hidden_error"))))
        pairs.append(("derivative_of_activation",
                      e["hidden_error"] * sigmoid_slope(forward["hidden_activation"])))
    elif quantity == "delta_w_h_o":
        pairs.append(("missing_learnrate", e[quantity] / rate))
        pairs.append(("delta_uses_hidden_input",
                      e[quantity] * forward["hidden_input"] / forward["hidden_activation"]))
    elif quantity == "delta_w_i_h":
        pairs.append(("missing_learnrate", e[quantity] / rate))
        pairs.append(("transposed_delta", e[quantity].T))
    return pairs


def ex1_mistake(quantity, got: dict, expected: dict, forward, tol) -> Mistake | None:
    """The catalogued mistake behind a wrong Example 1 ``quantity``, if any."""
    value = got.get(quantity)
    if isinstance(value, Unavailable):
        if "could not be broadcast" in value.reason and quantity == "delta_w_i_h":
            return CATALOGUE["x_not_column"]
        return None
    if value is None or _matches(value, expected[quantity], tol):
        return None
    array = _array(value)
    if quantity == "delta_w_i_h" and array is not None and array.ndim == 1:
        return CATALOGUE["x_not_column"]
    for name, candidate in _candidates(quantity, got, expected, forward):
        if name == "transposed_delta":
            if array is not None and array.shape == candidate.shape and _matches(value, candidate, tol):
                return CATALOGUE[name]
            continue
        if _matches(value, candidate, tol):
            return CATALOGUE[name]
    return None


def training_mistake(got, variants: dict, tol) -> Mistake | None:
    """Match a training result ``(w1, w2[, losses])`` against known wrong trainings."""
    if isinstance(got, Unavailable):
        return None
    for name, trajectory in variants.items():
        pairs = list(zip(got, trajectory))
        if pairs and all(_matches(value, want, tol) for value, want in pairs):
            return CATALOGUE[name.split("/")[0]]
    return None
