"""How long the in-notebook self-check of Example 1 takes (target: under 1 s).

Runs the seven Example 1 check calls the notebook makes (six quantities and
the other-inputs check with finite differences) against the reference
solution, ``--repeats`` times, and prints the median and the worst time.

    .venv/bin/python benchmarks/selfcheck_speed.py --repeats 20
"""

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)

    from autograder.core.course import EX1_INPUTS, EX1_QUANTITIES
    from autograder.plan.reference import ReferenceExpectations
    from autograder.student import selfcheck

    reference = ReferenceExpectations(ROOT / "solutions").module
    values = dict(zip(EX1_QUANTITIES, reference.backprop_step(**EX1_INPUTS)))
    main_globals = sys.modules["__main__"].__dict__
    main_globals.update(values)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            for name in EX1_QUANTITIES:
                selfcheck.ex1_quantity(name, values[name])
            selfcheck.ex1_other_inputs(reference.backprop_step)
        times.append(time.perf_counter() - start)
        assert out.getvalue().count("[PASS]") == 7, out.getvalue()
    print(f"Example 1 self-check, {args.repeats} runs: median {statistics.median(times) * 1000:.1f} ms, "
          f"worst {max(times) * 1000:.1f} ms (target: under 1000 ms)")


if __name__ == "__main__":
    main()
