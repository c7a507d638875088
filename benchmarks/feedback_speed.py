"""What writing the feedback costs: on the workers, or afterwards with nbgrader.

    .venv/bin/python benchmarks/feedback_speed.py                 # 8 submissions, 3 repeats
    .venv/bin/python benchmarks/feedback_speed.py --students 16 --repeats 5

One generated course, one class of ``--students`` sample submissions, graded
in each repeat in two ways, in alternating order:

(g) ``backprop grade --force``, then ``nbgrader generate_feedback --force``:
    the grades on the workers, the feedback pages one after the other in one
    process, as nbgrader writes them;
(f) ``backprop grade --force --feedback``: each worker writes the pages of the
    submissions it graded.

Every command is timed from its start to its end (wall clock). Printed:
medians over the repeats, the ratio f/g, and the cost of the feedback itself:
``generate_feedback``'s seconds per page, against the extra wall time a page
adds to a run with ``--feedback``. The first is what one machine needs per
submission however many workers grade; the second is spread over the workers.
The two runs' feedback folders are compared byte for byte.
"""

import argparse
import filecmp
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from autograder.core.course import ASSIGNMENT
from autograder.demo.sample_class import class_samples, make_release, write_submissions
from autograder.workspace.folder import tool_env

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading_speed import timed  # noqa: E402

SEED = 31337


def grade(course, workers, *extra) -> float:
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--force",
               "--no-report", "--workers", str(workers), "--course", str(course), *extra]
    seconds, code, _, _ = timed(command, env=tool_env())
    if code != 0:
        raise SystemExit(f"backprop grade {' '.join(extra)} exited {code} in {course}")
    return seconds


def generate_feedback(course) -> float:
    command = [sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT, "--force"]
    seconds, code, _, _ = timed(command, cwd=course, env=tool_env())
    if code != 0:
        raise SystemExit(f"nbgrader generate_feedback exited {code} in {course}")
    return seconds


def same_trees(left: Path, right: Path) -> bool:
    compared = filecmp.dircmp(left, right)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    return not mismatch and not errors and all(
        same_trees(left / name, right / name) for name in compared.common_dirs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="bench-feedback-"))
    try:
        print(f"Setting up {args.students} submissions in {base} ...", flush=True)
        template = make_release(base / "template", seed=SEED)
        write_submissions(template, class_samples(args.students))
        afterwards = Path(shutil.copytree(template, base / "g-afterwards"))
        on_workers = Path(shutil.copytree(template, base / "f-on-workers"))
        grade(afterwards, args.workers)  # warm caches (reference training, fonts) for both
        grade(on_workers, args.workers)
        runs = {"grade": [], "generate_feedback": [], "with_feedback": []}
        for repeat in range(args.repeats):
            order = ("g", "f") if repeat % 2 == 0 else ("f", "g")
            for key in order:
                if key == "g":
                    runs["grade"].append(grade(afterwards, args.workers))
                    runs["generate_feedback"].append(generate_feedback(afterwards))
                else:
                    runs["with_feedback"].append(grade(on_workers, args.workers, "--feedback"))
            print(f"  repeat {repeat + 1}: grade {runs['grade'][-1]:.1f} s + generate_feedback "
                  f"{runs['generate_feedback'][-1]:.1f} s; grade --feedback "
                  f"{runs['with_feedback'][-1]:.1f} s", flush=True)
        median = {key: statistics.median(values) for key, values in runs.items()}
        n = args.students
        then = median["grade"] + median["generate_feedback"]
        print(f"\n{n} submissions, {args.workers} workers, medians of {args.repeats} repeats:")
        print(f"  (g) backprop grade {median['grade']:.1f} s + nbgrader generate_feedback "
              f"{median['generate_feedback']:.1f} s = {then:.1f} s")
        print(f"  (f) backprop grade --feedback {median['with_feedback']:.1f} s")
        print(f"  f/g = {median['with_feedback'] / then:.2f}")
        print(f"  generate_feedback: {median['generate_feedback'] / n:.2f} s per page, in one "
              f"process")
        print(f"  --feedback: {(median['with_feedback'] - median['grade']) / n:.2f} s of wall "
              f"time per page over a run without it, on {args.workers} workers")
        same = same_trees(afterwards / "feedback", on_workers / "feedback")
        print(f"  the two feedback folders are {'byte for byte the same' if same else 'DIFFERENT'}")
        return 0 if same else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
