"""Train every candidate of :mod:`.training` at once, vectorised.

Each candidate first takes one dry step on the first record, as NumPy would
run it, so that a slip that raises is known by the error it raises
(:class:`~.evaluation.Broadcast`). The trainings that move the weights once
per epoch are then computed for all records and all candidates together
(:mod:`.stack`); a candidate whose edit changes a value's shape in a way the
stack cannot hold trains in a stack of its own. A slip of the recorded loss is
computed from the correct training's outputs. Trainings that move the weights
after every record are sequential by nature: they are stacked together and
walk the records one by one, which is why callers may leave them out of long
runs.
"""

import numpy as np

from ..oracle import initial_weights
from .evaluation import Broadcast, Namespace, accumulate_shape, evaluate
from .model import RECORD, UPDATE, sigmoid
from .stack import forward, train_stack
from .training import Predictions


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
        losses[:, epoch] = np.mean((forward(features[None], w1, w2)[3] - targets) ** 2, axis=1)
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
        w1s, w2s, losses, outputs = train_stack(trainings, rows, formulas, cores[rows[0]],
                                                *args)
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
