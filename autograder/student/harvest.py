"""The harvest: the narrow channel out of the student's kernel.

After the notebook has run, the grader sends this module's *source* into the
student's kernel and calls :func:`run` there with the notebook's namespace.
It reads the six Example 1 names, calls ``backprop_step`` and ``train_nn`` on
the inputs of the grading plan, and writes what it got to one JSON file in the
sandbox's exchange folder, rewriting the file after every entry so that a
later crash or hang loses only what came after it.

Example 2's full training is the grader's own call too, but it is made while
the notebook runs, by the locked cell that trains the network: before that
cell, :func:`install_full_run` puts a :class:`FullRun` in the place of
``train_nn``, whose first call trains on the plan's inputs and records the
result (see :mod:`autograder.pipeline.full_run`). Nothing is read from the
notebook's globals for Example 2.

Nothing is judged in here, and nothing of the course is imported: the module
needs only numpy, pandas and the standard library, which the kernel has. The
grader reads the file back with :mod:`autograder.plan.payload`, trusting
nothing in it.
"""

import json
import os

WEIGHTS = ["weights_input_hidden", "weights_hidden_output", "losses"]
#: The entry of the grader's full training (``ex2_final.<name>`` for its values).
FINAL = "ex2_final"


def encode(value, max_size):
    """One value as a JSON entry: an array, ``None``, or why it is not numbers."""
    import numpy as np

    try:
        if value is None:
            return {"kind": "none"}
        array = np.asarray(value, dtype=float)
        if array.size > max_size or array.ndim > 3:
            return {"kind": "invalid",
                    "message": "has %d values, far more than expected" % array.size}
        return {"kind": "array", "shape": [int(n) for n in array.shape],
                "data": [float(v) for v in array.ravel()]}
    except OverflowError:
        return {"kind": "invalid", "message": "holds a number too large for a float"}
    except BaseException:  # noqa: BLE001 - a student's object may raise anything
        return {"kind": "invalid", "message": "is a %s, not numbers" % type(value).__name__}


def describe(exc):
    """``Type: message`` of an exception, whatever its ``__str__`` does (raise,
    return something odd, or hold an integer too long to print)."""
    try:
        text = "%s: %s" % (type(exc).__name__, exc)
    except BaseException:  # noqa: BLE001 - the student's exception may raise anything
        text = "%s (its message could not be shown)" % type(exc).__name__
    return text[:300]


def failure(exc):
    return {"kind": "error", "message": describe(exc)}


class Harvest:
    """The entries gathered so far, saved to ``out_path`` after each one."""

    def __init__(self, out_path, max_size):
        self.out_path, self.max_size = out_path, max_size
        self.payload = {}

    def save(self):
        tmp = self.out_path + ".tmp"
        with open(tmp, "w") as handle:
            json.dump(self.payload, handle)
        os.replace(tmp, self.out_path)

    def record_tuple(self, prefix, keys, result):
        if not isinstance(result, (tuple, list)) or len(result) != len(keys):
            size = len(result) if isinstance(result, (tuple, list)) else None
            got = "%d values" % size if size is not None else "a %s" % type(result).__name__
            self.payload[prefix] = {"kind": "invalid",
                                    "message": "returned %s instead of %d values" % (got, len(keys))}
            return
        for key, value in zip(keys, result):
            self.payload[prefix + "." + key] = encode(value, self.max_size)

    def call(self, prefix, keys, function, *args, **kwargs):
        if not callable(function):
            self.payload[prefix] = {"kind": "undefined"}
            return
        try:
            result = function(*args, **kwargs)
        except KeyboardInterrupt:
            # The grader interrupts a call that runs out of time: say so, and stop here.
            self.payload[prefix] = {"kind": "timeout"}
            self.save()
            raise
        except BaseException as exc:  # noqa: BLE001 - the student's code may raise anything
            self.payload[prefix] = failure(exc)
            return
        self.record(prefix, keys, result)

    def record(self, prefix, keys, result):
        try:  # a returned object's own methods (len, iteration) may raise too
            self.record_tuple(prefix, keys, result)
        except BaseException as exc:  # noqa: BLE001
            self.payload[prefix] = {"kind": "invalid", "message": "returned a value that could "
                                    "not be read (%s)" % describe(exc)}


def _locals_when_raised(exc, function):
    """What ``function`` had computed when it raised ``exc``."""
    computed = {}
    frame_tb = exc.__traceback__
    while frame_tb is not None:
        if frame_tb.tb_frame.f_code is getattr(function, "__code__", None):
            computed = dict(frame_tb.tb_frame.f_locals)
        frame_tb = frame_tb.tb_next
    return computed


def harvest_example1(harvest, space, spec):
    import numpy as np

    names, article = spec["ex1_names"], spec["ex1_article"]
    step = space.get("backprop_step")
    for name in names:
        harvest.payload["ex1." + name] = (encode(space[name], harvest.max_size) if name in space
                                          else {"kind": "undefined"})
    if callable(step) and any(name not in space for name in names):
        # Say why the names are missing: call the function on the article's inputs.
        try:
            step(np.array(article["x"]), article["target"], article["learnrate"],
                 np.array(article["weights_input_hidden"]),
                 np.array(article["weights_hidden_output"]))
        except BaseException as exc:  # noqa: BLE001
            # Keep what the function had computed before it raised.
            computed = _locals_when_raised(exc, step)
            reason = "`backprop_step` raised " + describe(exc)
            for name in names:
                if name in space:
                    continue
                if computed.get(name) is not None:
                    harvest.payload["ex1." + name] = encode(computed[name], harvest.max_size)
                else:
                    harvest.payload["ex1." + name] = {"kind": "failed", "message": reason}
    harvest.save()
    for index, case in enumerate(spec["ex1_cases"]):
        harvest.call("ex1_case%d" % index, names, step, np.array(case["x"]), case["target"],
                     case["learnrate"], np.array(case["weights_input_hidden"]),
                     np.array(case["weights_hidden_output"]))
        harvest.save()


def _frame(data, columns=None):
    import numpy as np
    import pandas as pd

    features = pd.DataFrame(np.array(data["features"], dtype=float), columns=columns)
    targets = pd.Series(np.array(data["targets"], dtype=float), index=features.index)
    return features, targets


def full_run(harvest, train, ex2):
    """The grader's full training on the course data: record it as ``ex2_final``
    and return what ``train`` returned (raising what it raised)."""
    __tracebackhide__ = True  # IPython leaves the grader's frames out of tracebacks
    features, targets = _frame(ex2, ex2["columns"])
    try:
        result = train(features, targets, ex2["full_epochs"], ex2["learnrate"],
                       n_hidden=ex2["n_hidden"], seed=ex2["seed"])
    except BaseException as exc:  # noqa: BLE001 - recorded, then the cell shows it as usual
        harvest.payload[FINAL] = failure(exc)
        harvest.save()
        raise
    harvest.record(FINAL, WEIGHTS, result)
    harvest.save()
    return result


class FullRun:
    """``train_nn`` while the locked cell that trains the network runs: its first
    call is :func:`full_run` on the plan's inputs (whatever the cell passes);
    later calls go to the student's function unchanged."""

    def __init__(self, harvest, train, ex2):
        self.harvest, self.train, self.ex2, self.called = harvest, train, ex2, False

    def __call__(self, *args, **kwargs):
        __tracebackhide__ = True
        if self.called:
            return self.train(*args, **kwargs)
        self.called = True
        return full_run(self.harvest, self.train, self.ex2)


def install_full_run(space, ex2_text, out_path, max_size):
    """Put a :class:`FullRun` in the place of ``space["train_nn"]`` (if it is a
    function yet); return it, for :func:`restore_train_nn`."""
    train = space.get("train_nn")
    if not callable(train):
        return None
    recorder = FullRun(Harvest(out_path, max_size), train, json.loads(ex2_text))
    space["train_nn"] = recorder
    return recorder


def restore_train_nn(space, recorder):
    if recorder is not None and space.get("train_nn") is recorder:
        space["train_nn"] = recorder.train


def recorded_full_run(out_path):
    """The ``ex2_final`` entries a :class:`FullRun` wrote earlier in this kernel."""
    try:
        with open(out_path) as handle:
            earlier = json.load(handle)
        return {key: value for key, value in earlier.items()
                if key == FINAL or key.startswith(FINAL + ".")}
    except BaseException:  # noqa: BLE001 - no file, or not one the harvest wrote
        return {}


def harvest_example2(harvest, space, spec):
    train = space.get("train_nn")
    if isinstance(train, FullRun):  # the training cell ended before it was put back
        train = train.train
    ex2 = spec["ex2"]
    features, targets = _frame(ex2, ex2["columns"])
    harvest.call("ex2_first", WEIGHTS, train, features, targets, ex2["epochs"], ex2["learnrate"],
                 n_hidden=ex2["n_hidden"], seed=ex2["seed"])
    harvest.save()
    for index, case in enumerate(spec["ex2_cases"]):
        features, targets = _frame(case)
        harvest.call("ex2_case%d" % index, WEIGHTS, train, features, targets, case["epochs"],
                     case["learnrate"], n_hidden=case["n_hidden"], seed=case["seed"])
        harvest.save()
    if any(key == FINAL or key.startswith(FINAL + ".") for key in harvest.payload):
        return  # made by the training cell: the training is not run twice
    if ex2.get("full_run_skipped"):
        harvest.payload[FINAL] = {"kind": "failed", "message": ex2["full_run_skipped"]}
    elif not callable(train):
        harvest.payload[FINAL] = {"kind": "undefined"}
    else:  # the training cell never called it: the one full training is made here, last
        try:
            full_run(harvest, train, ex2)
        except BaseException:  # noqa: BLE001 - recorded by full_run
            pass
    harvest.save()


def run(space, spec_text, out_path, max_size):
    """Harvest the notebook namespace ``space`` on the plan's inputs ``spec_text``
    (JSON) into ``out_path``; ``max_size`` bounds every array."""
    spec = json.loads(spec_text)
    harvest = Harvest(out_path, max_size)
    harvest.payload.update(recorded_full_run(out_path))
    harvest_example1(harvest, space, spec)
    harvest_example2(harvest, space, spec)
    harvest.payload["done"] = {"kind": "none"}
    harvest.save()
