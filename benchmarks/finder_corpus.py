"""How well the mistake finder names every single slip, on the course's own data.

    .venv/bin/python benchmarks/finder_corpus.py              # the whole corpus, 2 processes
    .venv/bin/python benchmarks/finder_corpus.py --only ex1.  # entries whose name contains it

The corpus (``tests/core/diagnosis/corpus.py``) is generated from the finder's
model: every single edit of every quantity in both examples, written as code
into the solved notebook. Each submission runs in a worker process (no
sandbox: the code is the corpus's own) on the article's inputs and the
graduate-admissions data with 900 epochs, then the grader's harvest and
verdicts judge it with a plan of the reference solutions. Printed: the three
shares of the slips (named correctly, named wrongly, not named; targets at
least 95 % and 0 %), every entry that is not named correctly, and whether
every correct equivalent form got full marks and no diagnosis.
"""

import argparse
import collections
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_STATE = {}


def _setup(seed):
    import nbformat

    from autograder.plan.course_data import load_course_data
    from autograder.plan.plan import build_plan
    from autograder.plan.reference import ReferenceExpectations
    from tests.core.diagnosis import corpus
    from tests.support import RELEASE_DIR, SOLUTIONS_DIR, SOURCE_DIR

    release = nbformat.read(str(RELEASE_DIR / "backprop.ipynb"), 4)
    source = nbformat.read(str(SOURCE_DIR / "backprop.ipynb"), 4)
    data = load_course_data(RELEASE_DIR)
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), data, seed=seed)
    entries = {e.name: e for e in corpus.slip_entries() + list(corpus.EQUIVALENTS)}
    _STATE.update(release=release, data=data, plan=plan, entries=entries, corpus=corpus,
                  cells=corpus.answers(release, source))


def _grade(name):
    corpus, entry = _STATE["corpus"], _STATE["entries"][name]
    started = time.perf_counter()
    results = corpus.run_submission(_STATE["release"], entry.change(_STATE["cells"]),
                                    entry.example, _STATE["plan"], _STATE["data"])
    found = sorted({r.diagnosis for r in results if r.diagnosis})
    return name, corpus.verdict(entry, results), entry.expected, found, \
        time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="only the entries whose name contains this")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261201, help="the grading run's seed")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    _setup(args.seed)
    print(f"plan with the finder's simulation built in {time.perf_counter() - started:.1f} s")
    names = [n for n in _STATE["entries"] if args.only in n]
    with ProcessPoolExecutor(args.workers, initializer=_setup, initargs=(args.seed,)) as pool:
        rows = list(pool.map(_grade, names))
    outcomes = {name: verdict for name, verdict, *_ in rows}
    for name, verdict, expected, found, _ in sorted(rows):
        if verdict not in ("correct", "equivalent"):
            print(f"  {verdict:15s} {name}: expected {expected or 'no diagnosis'}, got {found}")
    counts = collections.Counter(outcomes.values())
    shares = _STATE["corpus"].shares(outcomes) if any(
        v in ("correct", "wrong", "not named") for v in outcomes.values()) else {}
    slips = sum(counts[v] for v in ("correct", "wrong", "not named"))
    print(f"{slips} slips: " + ", ".join(f"{k} {v:.1%} ({counts[k]})" for k, v in shares.items())
          + "  (targets: correct >= 95 %, wrong 0 %)")
    equivalent = counts["equivalent"] + counts["not equivalent"]
    print(f"{equivalent} equivalent forms: {counts['equivalent']} with full marks and no "
          f"diagnosis, {counts['not equivalent']} without")
    print(f"median time per submission {statistics.median(r[4] for r in rows):.1f} s; "
          f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
