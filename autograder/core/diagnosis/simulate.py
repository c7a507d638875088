"""Train every candidate of :mod:`.training` at once, vectorised.

A training that moves the weights once per epoch is computed for all records
together, and all such candidates together: every value carries two batch
axes (candidate, record) in front of the shape the student's code sees. The
correct formulas are evaluated for the whole stack; a candidate whose edit
changes one formula gets that formula evaluated on its own row. Candidates
whose edit changes a value's shape in a way the stack cannot hold train in a
stack of their own. Trainings that move the weights after every record are
sequential by nature; they are stacked together and walk the records one by
one, which is why callers may leave them out of long runs.

Before any of it, each candidate takes one dry step on the first record, as
NumPy would run it, so that a slip that raises is known by the error it
raises (:class:`~.model.Broadcast`).
"""

from dataclasses import replace

import numpy as np

from ..oracle import initial_weights
from .model import (
    RECORD,
    UPDATE,
    Broadcast,
    Namespace,
    _pad,
    accumulate_shape,
    evaluate,
    sigmoid,
)
from .training import Predictions


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


def _constants(n_records, n_features, n_hidden, epochs, learnrate) -> dict:
    return {"eta": learnrate, "inv_n": 1 / n_records, "inv_features": 1 / n_features,
            "inv_hidden": 1 / n_hidden, "inv_epochs": 1 / epochs, "inv_n2": 1 / n_records ** 2}


def dry_step(training, x, y, w1, w2, constants) -> dict:
    """One record and one update as the student's code would run them: the shape of
    every quantity, or :class:`Broadcast` where NumPy raises."""
    h = np.dot(x, w1)
    a = sigmoid(h)
    ns = Namespace(dict(x=x, y=np.float64(y), W2=w2, h=h, a=a, h_o=np.dot(a, w2),
                        y_hat=sigmoid(np.dot(a, w2)), eta=np.float64(constants["eta"])))
    cores = {}
    for formula in RECORD:
        ns[formula.quantity] = evaluate(training.formulas[formula.quantity], ns)
        cores[formula.quantity] = np.shape(ns[formula.quantity])
    accumulate_shape(w2.shape, cores["step_h_o"])
    accumulate_shape(w1.shape, cores["step_i_h"])
    update = Namespace({name: np.float64(value) for name, value in constants.items()})
    update["acc_h_o"] = np.zeros(w2.shape) + ns["step_h_o"]
    update["acc_i_h"] = np.zeros(w1.shape) + ns["step_i_h"]
    for formula, weights in zip(UPDATE, (w2, w1)):
        cores[formula.quantity] = np.shape(evaluate(training.formulas[formula.quantity], update))
        accumulate_shape(weights.shape, cores[formula.quantity])
    return cores


def _fits(cores, reference) -> bool:
    try:
        return all(np.broadcast_shapes(cores[q], reference[q]) == reference[q] for q in reference)
    except ValueError:
        return False


def _forward(features, w1, w2):
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
    """Each row's update as ``coefficient × accumulated step`` (or × 1 when it leaves the
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


def _stack(trainings, rows, base, cores, features, targets, epochs, constants, w1, w2):
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
    h, a, h_o, y_hat = _forward(x, w1, w2)
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
        h, a, h_o, y_hat = _forward(x, w1, w2)
        losses[:, epoch] = np.mean((y_hat - y) ** 2, axis=1)
        outputs.append(y_hat[0])
    w2 = np.where(frozen[:, None], w2 + pending2, w2)
    w1 = np.where(frozen[:, None, None], w1 + pending1, w1)
    return w1, w2, losses, np.array(outputs)


def _records(trainings, rows, features, targets, epochs, constants, w1, w2):
    """Trainings that move the weights after every record, stacked, record by record."""
    count, n_records = len(rows), features.shape[0]
    mode = np.array([trainings[k].update for k in rows])
    rate = np.where(mode == "record", constants["eta"], constants["eta"] / n_records)
    inside = mode == "inside_loop"
    w1, w2 = np.tile(w1, (count, 1, 1)), np.tile(w2, (count, 1))
    losses = np.empty((count, epochs))
    for epoch in range(epochs):
        acc1, acc2 = np.zeros_like(w1), np.zeros_like(w2)
        for x, y in zip(features, targets):
            h = np.matmul(x, w1)
            a = sigmoid(h)
            h_o = np.einsum("kh,kh->k", a, w2)
            ns = Namespace(dict(x=x[None], y=np.full((1,), y), W2=w2, h=h, a=a, h_o=h_o,
                                y_hat=sigmoid(h_o)), batch=1)
            for formula in RECORD:
                ns[formula.quantity] = evaluate(formula, ns)
            step2 = np.broadcast_to(ns["step_h_o"], w2.shape)
            step1 = np.broadcast_to(ns["step_i_h"], w1.shape)
            acc2, acc1 = acc2 + step2, acc1 + step1
            w2 = w2 + rate[:, None] * np.where(inside[:, None], acc2, step2)
            w1 = w1 + rate[:, None, None] * np.where(inside[:, None, None], acc1, step1)
        losses[:, epoch] = np.mean((_forward(features[None], w1, w2)[3] - targets) ** 2, axis=1)
    return w1, w2, losses


LOSSES = {
    "after": lambda out, y: np.mean((out[1:] - y) ** 2, axis=1),
    "before_update": lambda out, y: np.mean((out[:-1] - y) ** 2, axis=1),
    "last_record_vs_all": lambda out, y: np.mean((out[1:, -1:] - y) ** 2, axis=1),
    "last_record": lambda out, y: (out[1:, -1] - y[-1]) ** 2,
    "half": lambda out, y: 0.5 * np.mean((out[1:] - y) ** 2, axis=1),
    "sum": lambda out, y: np.sum((out[1:] - y) ** 2, axis=1),
}


def run(trainings, features, targets, epochs, learnrate, n_hidden, seed, *, keys=None,
        sequential=True, train=True) -> Predictions:
    """What each of ``trainings`` (the correct one first) gives on this data.

    ``keys`` labels the rows (default: each training's edit key); with
    ``sequential=False`` the trainings that update after every record are not run,
    with ``train=False`` none is (only the dry steps that find the ones that raise)."""
    features = np.asarray(features, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    n_records, n_features = features.shape
    count = len(trainings)
    w1, w2 = initial_weights(n_features, n_hidden, seed)
    constants = _constants(n_records, n_features, n_hidden, epochs, learnrate)
    cores, raised = {}, [None] * count
    for k, training in enumerate(trainings):
        try:
            cores[k] = dry_step(training, features[0], targets[0], w1, w2, constants)
        except Broadcast as exc:
            raised[k] = exc.alternatives
    out = Predictions(tuple(keys or (t.key for t in trainings)),
                      np.full((count, n_features, n_hidden), np.nan),
                      np.full((count, n_hidden), np.nan), np.full((count, epochs), np.nan),
                      tuple(raised), np.zeros(count, dtype=bool))
    if not train:
        return out
    base = trainings[0].formulas
    losses_only = [k for k in cores if trainings[k].loss != "after"]
    ordered = [k for k in cores if trainings[k].loss == "after" and not trainings[k].sequential]
    stacked = [k for k in ordered if _fits(cores[k], cores[0])]
    groups = [(stacked, base)] + [([k], trainings[k].formulas) for k in ordered
                                  if k not in stacked]
    args = (features, targets, epochs, constants, w1, w2)
    for rows, formulas in groups:
        w1s, w2s, losses, outputs = _stack(trainings, rows, formulas, cores[rows[0]], *args)
        out.w1[rows], out.w2[rows], out.losses[rows], out.simulated[rows] = w1s, w2s, losses, True
        if rows[0] == 0:
            for k in losses_only:
                out.w1[k], out.w2[k] = w1s[0], w2s[0]
                out.losses[k] = LOSSES[trainings[k].loss](outputs, targets)
                out.simulated[k] = True
    sequential_rows = [k for k in cores if trainings[k].sequential]
    if sequential and sequential_rows:
        w1s, w2s, losses = _records(trainings, sequential_rows, *args)
        rows = sequential_rows
        out.w1[rows], out.w2[rows], out.losses[rows], out.simulated[rows] = w1s, w2s, losses, True
    return out
