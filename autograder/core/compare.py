"""The one numeric comparison the course uses.

Every graded number goes through :func:`compare`. It never raises on student
input: whatever a submission produced (``None``, a string, a ragged list, an
array of the wrong shape, ``nan``) comes back as a :class:`Comparison` whose
``status`` says what was wrong, so that checks can turn it into a message.

Tolerances are named here and nowhere else. They are tight on purpose: taking
the sigmoid derivative of the activation instead of the input moves the output
error term by only 5.6 %, so a loose tolerance would pass a real mistake.
"""

from dataclasses import dataclass

import numpy as np

#: Relative tolerance for values that the reference computes the same way.
RTOL = 1e-6
#: Absolute floor, so that exact zeros compare sensibly.
ATOL = 1e-12
#: Looser tolerance for long training runs, where an equivalent formulation
#: (``np.outer`` instead of broadcasting, ``@`` instead of ``np.dot``) changes the
#: rounding of 900 epochs' worth of sums.
TRAINING_RTOL = 1e-6
TRAINING_ATOL = 1e-9

MATCH = "match"
MISSING = "missing"
NOT_NUMERIC = "not numeric"
NOT_FINITE = "not finite"
SHAPE = "shape"
TRANSPOSED = "transposed"
MISMATCH = "mismatch"


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing one submitted value with its expected value."""

    status: str
    detail: str = ""
    max_rel_error: float | None = None
    #: What a message needs to say it in a whole sentence
    #: (:func:`autograder.core.messages.describe`).
    got_shape: tuple | None = None
    want_shape: tuple | None = None
    type_name: str = ""

    @property
    def ok(self) -> bool:
        return self.status == MATCH


def as_array(value):
    """Convert a submitted value to a float64 array, or return ``None``."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
    return array


def shape_text(shape) -> str:
    return "a scalar" if shape == () else "shape " + "×".join(str(n) for n in shape)


def relative_error(got: np.ndarray, expected: np.ndarray, atol: float = ATOL) -> float:
    """Largest elementwise ``|got - expected| / max(|expected|, atol)``."""
    if got.size == 0:
        return 0.0
    scale = np.maximum(np.abs(expected), atol)
    return float(np.max(np.abs(got - expected) / scale))


def compare(got, expected, *, rtol: float = RTOL, atol: float = ATOL) -> Comparison:
    """Compare ``got`` with ``expected`` elementwise with ``rtol`` and ``atol``.

    A size-1 array and a scalar are the same thing here (``np.dot`` of two
    vectors and ``np.array([x])`` both count as a scalar answer). A 2-D answer
    whose transpose would match is reported as :data:`TRANSPOSED`.
    """
    if got is None:
        return Comparison(MISSING, "no value was given")
    expected = np.asarray(expected, dtype=np.float64)
    array = as_array(got)
    if array is None:
        return Comparison(NOT_NUMERIC, f"got a {type(got).__name__}, not numbers",
                          type_name=type(got).__name__)
    if expected.size == 1 and array.size == 1:
        array, expected = array.reshape(()), expected.reshape(())
    if array.shape != expected.shape:
        shapes = dict(got_shape=array.shape, want_shape=expected.shape)
        if array.ndim == 2 and array.T.shape == expected.shape:
            return Comparison(
                TRANSPOSED,
                f"has {shape_text(array.shape)} but should have {shape_text(expected.shape)}: "
                "it is transposed", **shapes)
        return Comparison(
            SHAPE, f"has {shape_text(array.shape)} but should have {shape_text(expected.shape)}",
            **shapes)
    if not np.all(np.isfinite(array)):
        return Comparison(NOT_FINITE, "contains nan or inf")
    error = relative_error(array, expected, atol)
    if np.allclose(array, expected, rtol=rtol, atol=atol):
        return Comparison(MATCH, "", error)
    return Comparison(MISMATCH, f"is off by a relative error of {error:.2g}", error)

#: Tolerances against finite differences (the self-check's oracle), whose own
#: error is about 1e-8 relative.
FD_RTOL = 1e-5
FD_ATOL = 1e-10
