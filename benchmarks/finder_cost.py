"""What the mistake finder costs: once per grading run, and per submission.

    .venv/bin/python benchmarks/finder_cost.py --repeats 5

(a) Once per run, with the plan: the finder simulates every candidate slip's
    training on the course data (one epoch, and the 900-epoch run, which a
    cache keeps between runs) and on the run's two other data sets. Timed
    cold (no cache) and warm (read from the cache), against the reference
    training of the same plan (the plan's other slow part), in the same run.
    Target: at most 5 s.
(b) Per submission: the verdicts of a mix of submissions (correct, each kind
    of named slip, and the worst case: every quantity and training wrong in a
    way no slip explains, so every family is tried), in CPU time, with the
    finder and with the finder switched off (its calls answering nothing).
    The difference is what the finder adds. Target: at most 50 ms.

Medians of ``--repeats``; the machine's other load shows in the spread.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEIGHTS = ("weights_input_hidden", "weights_hidden_output", "losses")


def entry(value):
    array = np.asarray(value, dtype=float)
    return {"kind": "array", "shape": list(array.shape), "data": array.ravel().tolist()}


def payloads(plan):
    """Raw payloads: correct, slips the finder names, and slips it cannot explain."""
    from autograder.core.course import EX1_INPUTS, EX1_QUANTITIES
    from autograder.core.diagnosis import step
    from autograder.core.diagnosis.evaluation import evaluate

    def ex1(inputs, edit=None, scale=1.0):
        ns = step.expected_namespace(inputs)
        out = {}
        for q in EX1_QUANTITIES:
            formula = edit.formulas[0] if edit and edit.quantity == q else step.FORMULAS[q]
            factor = scale ** (1 + EX1_QUANTITIES.index(q) / 10)   # no quantity follows
            ns = ns.child(**{q: evaluate(formula, ns) * factor})
            out[q] = ns[q]
        return out

    def raw(edit=None, scale=1.0, training=""):
        data = {f"ex1.{q}": entry(v) for q, v in ex1(EX1_INPUTS, edit, scale).items()}
        for i, (case, _) in enumerate(plan.ex1_cases):
            data.update({f"ex1_case{i}.{q}": entry(v)
                         for q, v in ex1(case.inputs, edit, scale).items()})
        runs = [("ex2_first", plan.ex2_first_variants), ("ex2_final", plan.ex2_final_variants)]
        runs += [(f"ex2_case{i}", e[3]) for i, e in enumerate(plan.ex2_cases)]
        for prefix, predictions in runs:
            k = predictions.keys.index(training if training != "noise" else "")
            arrays = predictions.arrays()[:3]
            noise = 1.37 if training == "noise" else 1.0
            data.update({f"{prefix}.{n}": entry(a[k] * noise) for n, a in zip(WEIGHTS, arrays)})
        data["done"] = {"kind": "none"}
        return data

    edits = {e.key: e for q in EX1_QUANTITIES for e in step.step_edits(q)}
    return {
        "correct": raw(),
        "ex1 sign of error": raw(edits["error.sign"]),
        "ex1 f'(y) in delta_o": raw(edits["output_error_term.swap:fp_ho>fp_yhat"]),
        "ex1 x not a column": raw(edits["delta_w_i_h.transpose"]),
        "ex2 no learning rate": raw(training="ex2.updates.drop:eta"),
        "ex2 every record": raw(training="ex2.loop.update_every_record"),
        "worst: nothing explains anything": raw(scale=3.1, training="noise"),
    }


class _Nothing:
    """The finder switched off: no evidence, no method marks, no diagnosis."""

    @classmethod
    def article(cls, *args, **kwargs):
        return cls()

    def carried_forward(self, quantity):
        return False

    def mistake(self, quantity):
        return None

    def function_mistake(self):
        return None


def cpu_per_submission(plan, raws, repeats, finder=True):
    from autograder.core import diagnose
    from autograder.plan import verdicts
    from autograder.plan.payload import Payload

    patches = [] if finder else [mock.patch.object(diagnose, "StepEvidence", _Nothing),
                                 mock.patch.object(diagnose, "training_mistake",
                                                   lambda *a, **k: None)]
    for patch in patches:
        patch.start()
    try:
        times = {name: [] for name in raws}
        for _ in range(repeats):
            for name, raw in raws.items():
                start = time.process_time()
                verdicts.grade(Payload(raw), plan)
                times[name].append(time.process_time() - start)
    finally:
        for patch in patches:
            patch.stop()
    return {name: statistics.median(t) for name, t in times.items()}


def once_per_run(data, repeats):
    from autograder.core import cases as case_gen
    from autograder.core import diagnose
    from autograder.core.course import EX2_EPOCHS, EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED
    from autograder.plan.cache import PlanCache
    from autograder.plan.plan import final_predictions
    from autograder.plan.reference import ReferenceExpectations
    from tests.support import SOLUTIONS_DIR

    reference = ReferenceExpectations(SOLUTIONS_DIR)
    rows = {"reference training, 900 epochs (baseline)": [], "finder, cold (no cache)": [],
            "finder, warm (cache)": []}
    for repeat in range(repeats):
        start = time.perf_counter(), time.process_time()
        reference.train(data.features, data.targets, EX2_EPOCHS, EX2_LEARNRATE, EX2_N_HIDDEN,
                        EX2_SEED)
        rows["reference training, 900 epochs (baseline)"].append(_since(start))
        with tempfile.TemporaryDirectory() as folder:
            cache = PlanCache(folder)
            for label in ("finder, cold (no cache)", "finder, warm (cache)"):
                start = time.perf_counter(), time.process_time()
                diagnose.predict(data.features, data.targets, 1, EX2_LEARNRATE, EX2_N_HIDDEN,
                                 EX2_SEED)
                final_predictions(data, cache)
                for case in case_gen.data_cases(np.random.default_rng(repeat)):
                    diagnose.predict(case.features, case.targets, case.epochs, case.learnrate,
                                     case.n_hidden, case.seed)
                rows[label].append(_since(start))
    return rows


def _since(start):
    return time.perf_counter() - start[0], time.process_time() - start[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    from autograder.core.diagnosis import training
    from autograder.plan.course_data import load_course_data
    from autograder.plan.plan import build_plan
    from autograder.plan.reference import ReferenceExpectations
    from tests.support import RELEASE_DIR, SOLUTIONS_DIR

    start = time.perf_counter()
    training.families()
    print(f"the finder's families, once per process: {time.perf_counter() - start:.2f} s")
    data = load_course_data(RELEASE_DIR)
    rows = once_per_run(data, args.repeats)
    base = [statistics.median(t[i] for t in rows["reference training, 900 epochs (baseline)"])
            for i in (0, 1)]
    print("(a) once per run (median of %d), wall clock and CPU seconds:" % args.repeats)
    for label, times in rows.items():
        wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
        print(f"    {label:45s} wall {wall:6.2f} s ({wall / base[0]:4.2f} x baseline)  "
              f"CPU {cpu:6.2f} s ({cpu / base[1]:4.2f} x)  "
              f"all wall: {' '.join(f'{t[0]:.2f}' for t in times)}")
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), data, seed=20261201)
    raws = payloads(plan)
    cpu_per_submission(plan, raws, 1)   # warm up the families and the plans of evaluation
    on = cpu_per_submission(plan, raws, args.repeats)
    off = cpu_per_submission(plan, raws, args.repeats, finder=False)
    print("(b) per submission, CPU ms (median of %d): with the finder, without, added" %
          args.repeats)
    for name in raws:
        print(f"    {name:35s} {on[name] * 1e3:7.1f} {off[name] * 1e3:7.1f} "
              f"{(on[name] - off[name]) * 1e3:7.1f}")
    added = max(on[n] - off[n] for n in raws)
    print(f"    the most the finder adds to one submission: {added * 1e3:.1f} ms (target: 50 ms)")


if __name__ == "__main__":
    main()
