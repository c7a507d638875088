"""A corpus of submissions generated from the finder's model: one per single edit.

Every edit of every quantity in both examples (:mod:`autograder.core.diagnosis`)
is written as the student would write it, into the solved notebook's answer
cells, and the notebook's code cells run in this process (no sandbox, for
speed) with the grader's own harvest and verdicts after them. A submission is
then named correctly (its example's items carry the edit's family and nothing
else), named wrongly (some item names another family) or not named.

The code written here is solution code with one slip, which is why it lives
with the tests and never in the package.
"""

import collections
import contextlib
import io
import json
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from autograder.constants import MAX_VALUE_SIZE
from autograder.core.diagnosis import step, training
from autograder.demo.samples import EX1_CELL, EX2_CELL, solved
from autograder.plan import verdicts
from autograder.plan.payload import Payload
from autograder.student import harvest

EX1_CODE = {
    "x": "x", "y": "target", "eta": "learnrate", "W2": "weights_hidden_output",
    "W2_new": "(weights_hidden_output + learnrate * output_error_term * hidden_layer_output)",
    "h": "hidden_layer_input", "a": "hidden_layer_output", "h_o": "output_layer_in",
    "y_hat": "output", "fp_h": "sigmoid_prime(hidden_layer_input)",
    "fp_a": "sigmoid_prime(hidden_layer_output)", "one_minus_a": "(1 - hidden_layer_output)",
    "fp_ho": "sigmoid_prime(output_layer_in)", "fp_yhat": "sigmoid_prime(output)",
    "one_minus_yhat": "(1 - output)", "residual": "(target - output)",
    "residual_ho": "(target - output_layer_in)", "residual_const": "(0.6 - output)",
    "const_eta": "0.5", "error": "error", "output_error_term": "output_error_term",
    "hidden_error": "hidden_error", "hidden_error_term": "hidden_error_term",
}
EX2_CODE = {
    "x": "x", "y": "y", "eta": "learnrate", "W2": "weights_hidden_output",
    "h": "hidden_input", "a": "hidden_output",
    "h_o": "np.dot(hidden_output, weights_hidden_output)", "y_hat": "output",
    "fp_h": "hidden_output * (1 - hidden_output)", "fp_a": "sigmoid_prime(hidden_output)",
    "one_minus_a": "(1 - hidden_output)", "fp_ho": "output * (1 - output)",
    "fp_yhat": "sigmoid_prime(output)", "one_minus_yhat": "(1 - output)",
    "residual": "(y - output)", "residual_ho": "(y - np.dot(hidden_output, weights_hidden_output))",
    "error": "error", "output_error_term": "output_error_term", "hidden_error": "hidden_error",
    "hidden_error_term": "hidden_error_term", "acc_h_o": "del_w_hidden_output",
    "acc_i_h": "del_w_input_hidden",
}
DIVISORS = {"inv_n": "n_records", "inv_features": "n_features", "inv_hidden": "n_hidden",
            "inv_epochs": "epochs", "inv_n2": "n_records / n_records"}
#: The line each formula's code replaces (the text it starts with).
LINES = {
    "step_h_o": "del_w_hidden_output +=", "step_i_h": "del_w_input_hidden +=",
    "update_h_o": "weights_hidden_output +=", "update_i_h": "weights_input_hidden +=",
}
UPDATES = ("        weights_input_hidden += learnrate * del_w_input_hidden / n_records\n"
           "        weights_hidden_output += learnrate * del_w_hidden_output / n_records\n")
STEPS = ("            del_w_hidden_output += output_error_term * hidden_output\n"
         "            del_w_input_hidden += hidden_error_term * x[:, None]\n")
ZEROS = ("        del_w_input_hidden = np.zeros(weights_input_hidden.shape)\n"
         "        del_w_hidden_output = np.zeros(weights_hidden_output.shape)\n")
LOSS = ("        hidden_output = sigmoid(np.dot(features.values, weights_input_hidden))\n"
        "        out = sigmoid(np.dot(hidden_output, weights_hidden_output))\n"
        "        loss = float(np.mean((out - np.asarray(targets)) ** 2))\n")


def render(formula, code) -> str:
    """A formula of the model as a line of NumPy code, with the notebook's names."""
    parts = []
    for index, factor in enumerate(formula.factors):
        name = factor.name
        if name in DIVISORS:
            parts.append(f"/ {DIVISORS[name]}" if index else f"(1 / {DIVISORS[name]})")
            continue
        if name.startswith("article_"):
            text = f"np.array({step.article_values()[name[8:]].tolist()!r})"
        else:
            text = code[name]
        if factor.column:
            text = f"{text}[:, None]"
        parts.append(("* " if index else "") + text)
    text = " ".join(parts)
    return f"-({text})" if formula.sign < 0 else text


def replace_line(source: str, start: str, new_line: str) -> str:
    """``source`` with its last line starting with ``start`` (the answer, after the
    placeholder ``= None``) replaced by ``new_line``."""
    matches = list(re.finditer(rf"^(\s*){re.escape(start)}.*$", source, re.M))
    if not matches or matches[-1].group(0).strip().endswith("= None"):
        raise ValueError(f"no answer line starting with {start!r}")
    last = matches[-1]
    return source[:last.start()] + last.group(1) + new_line + source[last.end():]


def with_formulas(source, formulas, code) -> str:
    for formula in formulas:
        start = LINES.get(formula.quantity, f"{formula.quantity} =")
        operator = "+=" if formula.quantity in LINES else "="
        lhs = start.split(" ")[0]
        source = replace_line(source, start, f"{lhs} {operator} {render(formula, code)}")
    return source


def _swap(source, old, new):
    if source.count(old) != 1:
        raise ValueError(f"the text to change is not there once: {old!r}")
    return source.replace(old, new)


#: Example 2's loop and loss edits, as the changes a student makes to the code.
STRUCTURE = {
    "loop.update_every_record": lambda s: _swap(_swap(s, UPDATES, ""), STEPS, STEPS.replace(
        "del_w_hidden_output += ", "weights_hidden_output += learnrate * ").replace(
        "del_w_input_hidden += ", "weights_input_hidden += learnrate * ")),
    "loop.update_every_record_averaged": lambda s: _swap(_swap(s, UPDATES, ""), STEPS,
        "            weights_hidden_output += learnrate * output_error_term * hidden_output"
        " / n_records\n            weights_input_hidden += learnrate * hidden_error_term"
        " * x[:, None] / n_records\n"),
    "loop.update_inside_loop": lambda s: _swap(_swap(s, UPDATES, ""), STEPS,
                                               STEPS + UPDATES.replace("        ", "            ")),
    "loop.update_after_training": lambda s: _swap(_swap(s, UPDATES, ""), "    return ",
                                                  UPDATES.replace("        ", "    ")
                                                  + "    return "),
    "loop.accumulators_not_reset": lambda s: _swap(_swap(s, ZEROS, ""), "    for e in range",
                                                   ZEROS.replace("        ", "    ")
                                                   + "    for e in range"),
    "loop.accumulators_reset_every_record": lambda s: _swap(
        _swap(s, ZEROS, ""), "            ## Forward pass ##\n",
        "            ## Forward pass ##\n" + ZEROS.replace("        ", "            ")),
    "loss.before_update": lambda s: _swap(_swap(s, LOSS, ""), UPDATES, LOSS + UPDATES),
    "loss.last_record_vs_all": lambda s: _swap(s, "np.dot(features.values, weights_input_hidden)",
                                               "np.dot(x, weights_input_hidden)"),
    "loss.last_record": lambda s: _swap(_swap(s, "np.dot(features.values, weights_input_hidden)",
                                              "np.dot(x, weights_input_hidden)"),
                                        "np.asarray(targets)", "y"),
    "loss.half": lambda s: _swap(s, "loss = float(np.mean(", "loss = float(0.5 * np.mean("),
    "loss.sum": lambda s: _swap(s, "loss = float(np.mean(", "loss = float(np.sum("),
}


@dataclass(frozen=True)
class Entry:
    """One generated submission: the cells it changes and the family it must be named."""

    name: str
    example: int
    expected: str
    change: object = field(compare=False)   # {grade_id: source} -> {grade_id: source}


def _ex1_entry(edit, family):
    return Entry(f"ex1.{edit.key}", 1, family.key,
                 lambda cells: dict(cells, **{EX1_CELL: with_formulas(
                     cells[EX1_CELL], edit.formulas, EX1_CODE)}))


def _ex2_entry(edit, key):
    if edit.key in STRUCTURE:
        change = STRUCTURE[edit.key]
    else:
        def change(source, formulas=edit.formulas):
            return with_formulas(source, formulas, EX2_CODE)
    return Entry(f"ex2.{edit.key}", 2, key,
                 lambda cells: dict(cells, **{EX2_CELL: change(cells[EX2_CELL])}))


def slip_entries() -> list[Entry]:
    """Every single edit of both examples, with the family it belongs to."""
    entries = []
    for quantity in step.UPSTREAM.keys() | {"error"}:
        for family in step.families(quantity):
            entries += [_ex1_entry(edit, family) for edit in family.members]
    table = training.families()
    entries += [_ex2_entry(t.edit, table[t.key].key) for t in training.all_trainings()[1:]
                if t.key in table]
    return sorted(entries, key=lambda e: e.name)


def _equivalent(name, example, changes):
    def change(cells):
        cells = dict(cells)
        for grade_id, old, new in changes:
            cells[grade_id] = _swap(cells[grade_id], old, new)
        return cells
    return Entry(f"equivalent.{name}", example, "", change)


#: Correct code written differently: full marks and no diagnosis at all.
VECTORISED = (
    "        hidden_output = sigmoid(np.dot(features.values, weights_input_hidden))\n"
    "        output = sigmoid(np.dot(hidden_output, weights_hidden_output))\n"
    "        error = np.asarray(targets) - output\n"
    "        output_error_term = error * output * (1 - output)\n"
    "        hidden_error_term = np.outer(output_error_term, weights_hidden_output) "
    "* hidden_output * (1 - hidden_output)\n"
    "        del_w_hidden_output = hidden_output.T @ output_error_term\n"
    "        del_w_input_hidden = features.values.T @ hidden_error_term\n")
EQUIVALENTS = (
    _equivalent("outer_and_matmul", 1, (
        (EX1_CELL, "delta_w_i_h = learnrate * hidden_error_term * x[:, None]",
         "delta_w_i_h = learnrate * np.outer(x, hidden_error_term)"),
        (EX1_CELL, "hidden_layer_input = np.dot(x, weights_input_hidden)",
         "hidden_layer_input = x @ weights_input_hidden"))),
    _equivalent("slope_from_the_output", 1, (
        (EX1_CELL, "error * sigmoid_prime(output_layer_in)", "error * output * (1 - output)"),
        (EX1_CELL, "hidden_error * sigmoid_prime(hidden_layer_input)",
         "hidden_error * hidden_layer_output * (1 - hidden_layer_output)"))),
    _equivalent("signs_that_cancel_in_a_step", 1, (
        (EX1_CELL, "delta_w_h_o = learnrate * output_error_term * hidden_layer_output",
         "delta_w_h_o = -learnrate * -output_error_term * hidden_layer_output"),)),
    _equivalent("signs_that_cancel_in_training", 2, (
        (EX2_CELL, "error = y - output", "error = output - y"),
        (EX2_CELL, "weights_input_hidden += learnrate", "weights_input_hidden -= learnrate"),
        (EX2_CELL, "weights_hidden_output += learnrate", "weights_hidden_output -= learnrate"))),
    _equivalent("sigmoid_prime_in_training", 2, (
        (EX2_CELL, "output_error_term = error * output * (1 - output)",
         "output_error_term = error * sigmoid_prime(np.dot(hidden_output, weights_hidden_output))"),
        (EX2_CELL, "hidden_error_term = hidden_error * hidden_output * (1 - hidden_output)",
         "hidden_error_term = hidden_error * sigmoid_prime(hidden_input)"))),
    _equivalent("outer_matmul_in_training", 2, (
        (EX2_CELL, "hidden_input = np.dot(x, weights_input_hidden)",
         "hidden_input = x @ weights_input_hidden"),
        (EX2_CELL, "del_w_input_hidden += hidden_error_term * x[:, None]",
         "del_w_input_hidden += np.outer(x, hidden_error_term)"))),
)


def _vectorised(cells):
    """The record loop replaced by matrix products over all records at once."""
    source = cells[EX2_CELL]
    start = source.index("        for x, y in zip(features.values, targets):\n")
    end = source.index(STEPS) + len(STEPS)
    return dict(cells, **{EX2_CELL: source[:start] + VECTORISED + source[end:]})


EQUIVALENTS += (Entry("equivalent.vectorised_training", 2, "", _vectorised),)


# -- running a generated submission in this process -------------------------------------
SKIPPED = ("ex2_data", "ex2_plot", "ex2_accuracy_print")


def code_cells(notebook, cells, example):
    """The notebook's code cells to run, in order, with ``cells`` as answers: check cells
    never (the grader does not run them either), Example 2 only when it is the example."""
    from autograder.demo.samples import grade_id

    for cell in notebook.cells:
        gid = grade_id(cell)
        if cell.cell_type != "code" or gid in SKIPPED or "selfcheck." in cell.source:
            continue
        if example == 1 and gid and gid.startswith("ex2_"):
            continue
        yield cells.get(gid, cell.source)


def run_submission(notebook, cells, example, plan, data):
    """Run the code cells in one namespace, harvest on the plan's inputs, judge."""
    space = {"__name__": "__main__"}
    space["features"] = pd.DataFrame(data.features, columns=data.columns)
    space["targets"] = pd.Series(data.targets, index=space["features"].index)
    space["features_test"] = pd.DataFrame(data.features_test, columns=data.columns)
    space["targets_test"] = pd.Series(data.targets_test)
    with warnings.catch_warnings(), np.errstate(all="ignore"), \
            contextlib.redirect_stdout(io.StringIO()), tempfile.TemporaryDirectory() as tmp:
        warnings.simplefilter("ignore")
        for source in code_cells(notebook, cells, example):
            try:
                exec(compile(source, "<cell>", "exec"), space)  # noqa: S102 - the corpus's own code
            except Exception:  # noqa: BLE001 - a slip may raise; the grader records it
                pass
        out = Path(tmp) / "payload.json"
        harvest.run(space, json.dumps(plan.harvest_spec()), str(out), MAX_VALUE_SIZE)
        payload = Payload(json.loads(out.read_text()))
    return verdicts.grade(payload, plan)


def answers(release_nb, source_nb) -> dict:
    """The solved answer cells by grade id."""
    from autograder.demo.samples import grade_id

    return {grade_id(c): c.source for c in solved(release_nb, source_nb).cells if grade_id(c)}


def synthetic_data(seed=0, n_records=30):
    """Example 2's shapes on a few records: trains in a blink, and a test split that the
    reference's weights get right, so that a correct training passes the accuracy too."""
    from autograder.core import oracle
    from autograder.plan.course_data import CourseData

    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n_records, 6))
    targets = (rng.uniform(size=n_records) < 0.4).astype(float)
    data = CourseData(features, targets, features[:10], targets[:10],
                      [f"f{i}" for i in range(6)])
    return data, oracle


def verdict(entry, results) -> str:
    """``correct``, ``wrong`` or ``not named`` (``equivalent`` / ``not equivalent`` for the
    correct forms)."""
    prefix = f"ex{entry.example}_"
    found = {r.diagnosis for r in results if r.diagnosis}
    if not entry.expected:
        mine = [r for r in results if r.grade_id.startswith(prefix)]
        return "equivalent" if not found and all(r.passed for r in mine) else "not equivalent"
    if not found:
        return "not named"
    return "correct" if found == {entry.expected} else "wrong"


def shares(outcomes) -> dict:
    """The share of each verdict among the slips (equivalent forms apart)."""
    slips = [v for v in outcomes.values() if v in ("correct", "wrong", "not named")]
    counts = collections.Counter(slips)
    return {v: counts[v] / len(slips) for v in ("correct", "wrong", "not named")}
