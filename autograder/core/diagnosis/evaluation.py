"""Evaluating the model's formulas as NumPy evaluates the student's code.

Elementwise products with broadcasting, per record, raising where NumPy would
raise (:class:`Broadcast`, with the shapes NumPy names). Example 1 evaluates
the formulas on one network (no batch axes); Example 2's simulation on every
record of a data set and on many candidate trainings at once (two leading
batch axes, :mod:`.simulate`). A value in a :class:`Namespace` is an array
whose first ``batch`` axes are batch axes and whose other axes are the
per-record *core* shape the student's code sees.
"""

import re

import numpy as np

from .model import DERIVED, STEP, Formula, sigmoid

_SHAPE = re.compile(r"\((\d+(?:,\s*\d+)*)?,?\)")


def raised_shapes(message: str):
    """The sorted shapes in a NumPy broadcasting error's message, ``None`` for other errors."""
    if "broadcast" not in message:
        return None
    tail = message.split("broadcast", 1)[1]
    return tuple(sorted(tuple(int(n) for n in match.group(1).split(",")) if match.group(1)
                        else () for match in _SHAPE.finditer(tail)))


def unavailable_shapes(value) -> tuple | None:
    """The broadcasting shapes of a failed call (an ``Unavailable``): kept aside when its
    message is not shown, else read from the message."""
    return value.shapes if value.shapes is not None else raised_shapes(value.reason)


class Broadcast(Exception):
    """NumPy would raise here: the per-record shapes in its message, sorted.

    ``alternatives`` holds every message the same slip can give (an in-place
    ``+=`` names its target twice), each as a sorted tuple of shapes."""

    def __init__(self, *alternatives):
        super().__init__(alternatives)
        self.alternatives = frozenset(tuple(sorted(shapes)) for shapes in alternatives)


class TooLarge(Exception):
    """The value would be larger than any honest one: student values of odd shapes can
    broadcast against each other into billions of numbers. Such an edit explains nothing."""


#: The most numbers one evaluation may produce (the largest honest one, Example 2's stack of
#: candidates times records times hidden units, is under 10⁵).
MAX_VALUES = 2_000_000


class Namespace(dict):
    """Values by ingredient name, computing derived ingredients when first asked.

    The first ``batch`` axes of every value are batch axes (records,
    candidate trainings); the rest is what the student's code sees."""

    def __init__(self, values=(), batch=0, extra=None):
        super().__init__(values)
        self.batch = batch
        self.extra = extra or {}

    def __missing__(self, name):
        recipe = self.extra.get(name) or DERIVED.get(name)
        if recipe is None:
            raise KeyError(name)
        try:
            value = self[name] = recipe(self)
        except ValueError as exc:   # e.g. W + ΔW of a student's ΔW of another shape
            shapes = raised_shapes(str(exc))
            if shapes is None:
                raise
            raise Broadcast(shapes) from None
        return value

    def core(self, name) -> tuple:
        return np.shape(self[name])[self.batch:]

    def child(self, **values) -> "Namespace":
        """A copy with ``values`` replaced; it shares the values computed so far, but
        recomputes the ``extra`` ingredients (they may depend on what was replaced)."""
        copy = Namespace({k: v for k, v in self.items() if k not in self.extra},
                         self.batch, self.extra)
        copy.update(values)
        return copy


def _pad(array, batch, ndim):
    """``array`` with unit axes inserted after its batch axes, to a core of ``ndim`` axes."""
    missing = ndim - (np.ndim(array) - batch)
    if missing <= 0:
        return array
    shape = np.shape(array)
    return np.reshape(array, shape[:batch] + (1,) * missing + shape[batch:])


def _plan(formula: Formula, batch: int, shapes: tuple) -> tuple:
    """How to broadcast ``formula``'s factors of these shapes: the shape each factor is
    reshaped to. Raises :class:`Broadcast` where NumPy would, multiplying left to right."""
    cores = []
    for factor, shape in zip(formula.factors, shapes):
        core = shape[batch:] + ((1,) if factor.column else ())
        cores.append(core)
    joined = cores[0]
    for core in cores[1:]:
        try:
            joined = np.broadcast_shapes(joined, core)
        except ValueError:
            raise Broadcast((joined, core)) from None
    ndim = len(joined)
    targets = tuple(shape[:batch] + (1,) * (ndim - len(core)) + core
                    for shape, core in zip(shapes, cores))
    size = np.prod(np.broadcast_shapes(*targets), dtype=np.float64)
    if size > MAX_VALUES:
        raise TooLarge(f"{formula.quantity} would hold {size:.3g} numbers")
    return targets


def evaluate(formula: Formula, ns: Namespace):
    """The formula's value on ``ns``; raises :class:`Broadcast` where NumPy would, and
    :class:`TooLarge` for a value far larger than any honest one."""
    arrays = [ns[factor.name] for factor in formula.factors]
    arrays = [a if isinstance(a, (np.ndarray, np.generic)) else np.asarray(a, dtype=np.float64)
              for a in arrays]
    key = (ns.batch,) + tuple(a.shape for a in arrays)
    targets = formula.plans.get(key)
    if targets is None:
        targets = formula.plans[key] = _plan(formula, ns.batch, key[1:])
    result = arrays[0].reshape(targets[0])
    for array, target in zip(arrays[1:], targets[1:]):
        result = result * array.reshape(target)
    return -result if formula.sign < 0 else result


def accumulate_shape(target: tuple, step: tuple) -> None:
    """Raise :class:`Broadcast` when ``target += step`` fails for these per-record shapes."""
    try:
        joined = np.broadcast_shapes(target, step)
    except ValueError:
        joined = None
    if joined != tuple(target):
        # `acc += step` names acc twice; `acc = acc + step` once.
        raise Broadcast((target, step, target), (target, step))


def network(x, target, learnrate, weights_input_hidden, weights_hidden_output) -> Namespace:
    """One network's forward pass (the notebook's given code), ready for the formulas."""
    x = np.asarray(x, dtype=np.float64)
    w1 = np.asarray(weights_input_hidden, dtype=np.float64)
    w2 = np.asarray(weights_hidden_output, dtype=np.float64)
    h = np.dot(x, w1)
    a = sigmoid(h)
    h_o = np.dot(a, w2)
    ns = Namespace(dict(x=x, y=np.float64(target), eta=np.float64(learnrate), W1=w1, W2=w2,
                        h=h, a=a, h_o=h_o, y_hat=sigmoid(h_o),
                        const_eta=np.float64(0.5)))
    ns.extra = {"residual_const": lambda space: 0.6 - space["y_hat"],
                "W2_new": lambda space: space["W2"] + space["delta_w_h_o"]}
    return ns


def step_values(ns: Namespace, formulas=STEP) -> Namespace:
    """``ns`` with every quantity of ``formulas`` computed, in order."""
    for formula in formulas:
        ns[formula.quantity] = evaluate(formula, ns)
    return ns
