"""The trainings that move the weights once per epoch, all in one stack.

Every value carries two batch axes (candidate, record) in front of the shape
the student's code sees. The correct formulas are evaluated for the whole
stack; a candidate whose edit changes one formula gets that formula evaluated
on its own row (:class:`_Row`). The accumulated input-weight step is a matrix
product over the records; each candidate's update is folded into one
coefficient of its accumulated sum (its other factors are the run's
constants).
"""

from dataclasses import replace

import numpy as np

from .evaluation import Namespace, _pad, evaluate
from .model import RECORD, sigmoid


class _Row(Namespace):
    """Row ``index`` of a stacked namespace, sliced only when a value is asked for."""

    def __init__(self, parent: Namespace, index: int):
        super().__init__((), parent.batch - 1)
        self.parent, self.index = parent, index

    def __missing__(self, name):
        if name in self.parent or name not in _DERIVED_NAMES:
            source = self.parent[name]
            value = source[self.index] if np.shape(source)[0] > 1 else source[0]
            self[name] = value
            return value
        return super().__missing__(name)


_DERIVED_NAMES = {"fp_h", "fp_a", "one_minus_a", "fp_ho", "fp_yhat", "one_minus_yhat",
                  "residual", "residual_ho"}


def forward(features, w1, w2):
    h = np.matmul(features, w1)
    a = sigmoid(h)
    h_o = np.einsum("...h,...h->...", a, w2[:, None, :] if w1.ndim == 3 else w2)
    return h, a, h_o, sigmoid(h_o)


def _evaluate(quantity, base, overrides, ns, shape):
    """``base[quantity]`` for the whole stack, each override on its own row."""
    value = evaluate(base[quantity], ns)
    value = np.broadcast_to(_pad(value, ns.batch, len(shape) - ns.batch), shape)
    rows = overrides.get(quantity)
    if not rows:
        return value
    value = value.copy()
    for row, formula in rows:
        own = _Row(ns, row)
        got = evaluate(formula, own)
        value[row] = np.broadcast_to(_pad(got, own.batch, len(shape) - ns.batch), shape[1:])
    return value


def _without_inputs(formula):
    """``formula`` without its one factor of inputs placed as a column, or ``None``."""
    columns = [f for f in formula.factors if f.column]
    if len(columns) != 1 or columns[0].name != "x" or len(formula.factors) < 2:
        return None
    return replace(formula, factors=tuple(f for f in formula.factors if not f.column))


def _summed(quantity, base, rest, overrides, ns, shape):
    """A per-record step summed over the records, and its last record's value, each of
    ``shape`` (the stack and the accumulator's shape). ``rest`` is the formula without
    its column of inputs, when it has one."""
    formula = base[quantity]
    if rest is not None:
        # a row per record times the inputs as a column: the sum is a matrix product
        row = evaluate(rest, ns)
        row = np.broadcast_to(_pad(row, 2, 1), shape[:1] + ns["x"].shape[1:2] + shape[-1:])
        x = ns["x"][0]
        total, last = np.matmul(x.T, row), x[-1][:, None] * row[:, -1, None, :]
    else:
        value = evaluate(formula, ns)
        value = np.broadcast_to(_pad(value, 2, len(shape) - 1), shape[:1] + ns["x"].shape[1:2]
                                + shape[1:])
        total, last = value.sum(axis=1), value[:, -1]
    total, last = np.broadcast_to(total, shape).copy(), np.broadcast_to(last, shape).copy()
    for row, edited in overrides.get(quantity, ()):
        own = _Row(ns, row)
        value = np.broadcast_to(_pad(evaluate(edited, own), 1, len(shape) - 1),
                                own["x"].shape[:1] + shape[1:])
        total[row], last[row] = value.sum(axis=0), value[-1]
    return total, last


def _folded(quantity, base, overrides, count, constants):
    """Each row's update as ``coefficient × accumulated sum`` (or × 1 when it leaves the
    step out): its other factors are the run's constants. ``None`` when a row's update
    has other factors (it is then evaluated every epoch)."""
    accumulated = "acc_h_o" if quantity == "update_h_o" else "acc_i_h"
    formulas = [base[quantity]] * count
    for row, formula in overrides.get(quantity, ()):
        formulas[row] = formula
    coefficients, uses = np.ones(count), np.zeros(count, dtype=bool)
    for row, formula in enumerate(formulas):
        names = [f.name for f in formula.factors]
        if names.count(accumulated) > 1 or any(
                n != accumulated and n not in constants for n in names):
            return None
        uses[row] = accumulated in names
        coefficients[row] = formula.sign * np.prod([constants[n] for n in names
                                                    if n != accumulated])
    return coefficients, uses


def _update(quantity, folded, base, overrides, update, shape):
    if folded is None:
        return _evaluate(quantity, base, overrides, update, shape)
    coefficients, uses = folded
    accumulated = update["acc_h_o" if quantity == "update_h_o" else "acc_i_h"]
    factor = np.where(uses.reshape((-1,) + (1,) * (len(shape) - 1)), accumulated, 1.0)
    return coefficients.reshape((-1,) + (1,) * (len(shape) - 1)) * factor


def train_stack(trainings, rows, base, cores, features, targets, epochs, constants, w1,
                w2):
    """Once-per-epoch trainings ``rows`` in one stack, with the formulas ``base`` and the
    shapes ``cores`` (of a dry step); returns (w1, w2, losses, outputs), ``outputs`` the
    outputs of the stack's first row at the start and after each epoch."""
    count, n_records = len(rows), features.shape[0]
    overrides = {}
    for position, k in enumerate(rows):
        for quantity, formula in trainings[k].edited.items():
            if formula is not base[quantity]:
                overrides.setdefault(quantity, []).append((position, formula))
    column = np.array([[trainings[k].reset, trainings[k].update] for k in rows]).T
    keep, last, frozen = column[0] == "never", column[0] == "record", column[1] == "end"
    w1, w2 = np.tile(w1, (count, 1, 1)), np.tile(w2, (count, 1))
    acc1, acc2 = np.zeros_like(w1), np.zeros_like(w2)
    pending1, pending2 = np.zeros_like(w1), np.zeros_like(w2)
    update_ns = {name: np.full((1,), value) for name, value in constants.items()}
    x, y = features[None], targets[None]
    h, a, h_o, y_hat = forward(x, w1, w2)
    losses = np.empty((count, epochs))
    outputs = [y_hat[0]]
    shapes = {f.quantity: (count, n_records) + tuple(cores[f.quantity]) for f in RECORD[:4]}
    rests = {q: _without_inputs(base[q]) for q in ("step_h_o", "step_i_h")}
    folded = {q: _folded(q, base, overrides, count, constants)
              for q in ("update_h_o", "update_i_h")}
    for epoch in range(epochs):
        ns = Namespace(dict(x=x, y=y, W2=w2[:, None, :], h=h, a=a, h_o=h_o, y_hat=y_hat,
                            eta=np.full((1, 1), constants["eta"])), batch=2)
        for formula in RECORD[:4]:
            q = formula.quantity
            ns[q] = _evaluate(q, base, overrides, ns, shapes[q])
        sum2, last2 = _summed("step_h_o", base, rests["step_h_o"], overrides, ns, w2.shape)
        sum1, last1 = _summed("step_i_h", base, rests["step_i_h"], overrides, ns, w1.shape)
        acc2 = np.where(last[:, None], last2, np.where(keep[:, None], acc2 + sum2, sum2))
        acc1 = np.where(last[:, None, None], last1,
                        np.where(keep[:, None, None], acc1 + sum1, sum1))
        update = Namespace(dict(update_ns, acc_h_o=acc2, acc_i_h=acc1), batch=1)
        pending2 = _update("update_h_o", folded["update_h_o"], base, overrides, update, w2.shape)
        pending1 = _update("update_i_h", folded["update_i_h"], base, overrides, update, w1.shape)
        w2 = np.where(frozen[:, None], w2, w2 + pending2)
        w1 = np.where(frozen[:, None, None], w1, w1 + pending1)
        h, a, h_o, y_hat = forward(x, w1, w2)
        losses[:, epoch] = np.mean((y_hat - y) ** 2, axis=1)
        outputs.append(y_hat[0])
    w2 = np.where(frozen[:, None], w2 + pending2, w2)
    w1 = np.where(frozen[:, None, None], w1 + pending1, w1)
    return w1, w2, losses, np.array(outputs)


