"""How fast a class is graded: stock nbgrader, ``backprop grade``, and the floor.

    .venv/bin/python benchmarks/grading_speed.py              # 16 submissions, 3 repeats
    .venv/bin/python benchmarks/grading_speed.py --quick      # 4 submissions, 1 repeat

One generated course, one class of ``--students`` sample submissions (correct,
wrong and raising ones, cycling through ``autograder.demo.samples``), measured
three ways in each repeat:

(a) stock ``nbgrader autograde``: sequential, with a STOCK config (nbgrader's
    default pipeline, plain kernels, no sandbox; the check cells run their
    self-checks in the kernel);
(b) ``backprop grade --force`` with the course config: the sandbox, the
    verdicts, ``--workers`` worker processes. The first repeat is cold (the
    reference training is computed, no earlier timings order the queue); the
    later ones use the cached training and start the slowest submissions of
    the previous run first, as a regrade does. ``--cold`` makes every repeat
    cold;
(c) the floor: the same student code as plain Python scripts (every code cell
    but the check cells, each cell run like a notebook cell so that an error
    does not stop the rest), ``--workers`` at a time.

Each is timed from the command's start to its end (wall clock), so start-up
costs count. Printed: submissions per minute (median of ``--repeats``), the
ratios b/a (speedup) and b/c (overhead over the floor), and peak memory.
The targets on 2 cores are b/a >= 2.3 and b/c <= 1.15.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from autograder.core.course import ASSIGNMENT, NOTEBOOK
from autograder.demo.sample_class import class_samples, make_release, write_submissions
from autograder.workspace.folder import read_grades, tool_env

SEED = 31337
MiB = 2**20

STOCK_CONFIG = '''\
# nbgrader's defaults: the stock autograde pipeline, plain kernels, no sandbox.
import os
c = get_config()  # noqa: F821
root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop-course"
c.CourseDirectory.root = root
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(root, "gradebook.db")
'''

#: Runs one notebook cell's code the way a kernel does: an error is printed,
#: and the next cell still runs.
CELL_RUNNER = '''\
import sys, traceback
def _run_cell(_source, _name):
    try:
        exec(compile(_source, _name, "exec"), globals())
    except Exception:
        traceback.print_exc()
'''


def timed(command, *, cwd=None, env=None):
    """Run ``command``; return (seconds, exit code, peak RSS, CPU seconds) of it and
    of the descendants it waited for.

    Every command runs in a session of its own, as kernels do (jupyter_client
    and bubblewrap start them in new sessions): with the kernel's autogroup
    scheduling each session gets its own share of a busy machine, so the
    floor's scripts must not share one."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, process.returncode, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


# -- the three ways ----------------------------------------------------------------------


def stock_course(template, dest) -> Path:
    course = Path(shutil.copytree(template, dest))
    (course / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
    return course


def run_stock(course):
    shutil.rmtree(course / "autograded", ignore_errors=True)
    command = [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"]
    seconds, code, peak, cpu = timed(command, cwd=course, env=tool_env())
    return {"seconds": seconds, "exit": code, "peak_rss": peak, "cpu": cpu}


def forget_history(course):
    """Make the next ``backprop grade`` cold: no cached reference training, no
    timings of an earlier run to order the submissions by."""
    shutil.rmtree(course / ".backprop" / "cache", ignore_errors=True)
    (course / ".backprop" / "grade-state.json").unlink(missing_ok=True)


def run_backprop(course, workers, cold=False):
    if cold:
        forget_history(course)
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--force",
               "--workers", str(workers), "--course", str(course)]
    began = time.time()
    seconds, code, peak, cpu = timed(command, env=tool_env())
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    # the fixed start-up: from the command's start until a worker began the first submission
    startup = (last["first_started"] - began) if last.get("first_started") else float("nan")
    # The sandboxed kernels are not waited-for descendants: their CPU time is
    # read by the workers from /proc and reported per submission.
    kernels = sum(t.get("cpu_kernels", 0) for t in last["timings"].values())
    return {"seconds": seconds, "exit": code, "peak_rss": peak, "cpu": cpu + kernels,
            "workers": last["workers"], "inside": last["seconds"], "timings": last["timings"],
            "startup": startup}


def student_script(notebook_path) -> str:
    """The notebook's code cells but the check cells, as one Python script."""
    nb = nbformat.read(str(notebook_path), 4)
    parts = [CELL_RUNNER]
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        parts.append(f"_run_cell({cell.source!r}, 'cell-{index}')")
    parts.append("")
    return "\n".join(parts)


def script_env():
    """What the sandboxed kernel gets: one BLAS thread, the Agg backend."""
    return tool_env({"MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                     "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"})


def prepare_scripts(course, folder) -> list:
    public = course / "release" / ASSIGNMENT
    runs = []
    for submission in sorted((course / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}.ipynb")):
        student = submission.parent.parent.name
        work = folder / student
        work.mkdir(parents=True)
        for name in ("data_prep.py", "binary.csv"):
            shutil.copy(public / name, work / name)
        (work / "student.py").write_text(student_script(submission), encoding="utf-8")
        runs.append(work)
    return runs


def run_scripts(folders, workers):
    env = script_env()
    started = time.monotonic()

    def one(folder):
        return timed([sys.executable, "student.py"], cwd=folder, env=env)

    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, folders))
    return {"seconds": time.monotonic() - started,
            "exit": max(r[1] for r in results),
            "peak_rss": max(r[2] for r in results),
            "cpu": sum(r[3] for r in results),
            "script_seconds": [round(r[0], 2) for r in results]}


# -- reporting ----------------------------------------------------------------------------


def _load():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def report(runs, n, workers, repeats, cold=False) -> dict:
    med = {key: statistics.median(r["seconds"] for r in runs[key]) for key in runs}
    rate = {key: 60 * n / med[key] for key in med}
    names = {"a": "stock nbgrader autograde (sequential, no sandbox)",
             "b": f"backprop grade (sandbox, {workers} workers{', cold' if cold else ''})",
             "c": f"floor: plain scripts, {workers} at a time"}
    print()
    print(f"{n} submissions, {workers} workers, {repeats} repeat(s), {os.cpu_count()} CPUs")
    cpu = {key: statistics.median(r["cpu"] for r in runs[key]) for key in runs}
    print(f"{'':4}{'':52}{'median s':>9}{'subs/min':>10}{'CPU s/sub':>11}   all runs (s)")
    for key in ("a", "b", "c"):
        if key in runs:
            all_runs = " ".join(f"{r['seconds']:.1f}" for r in runs[key])
            print(f"({key}) {names[key]:<52}{med[key]:9.1f}{rate[key]:10.1f}"
                  f"{cpu[key] / n:11.2f}   {all_runs}")
    result = {"submissions": n, "workers": workers, "repeats": repeats, "median_seconds": med,
              "per_minute": rate, "median_cpu_seconds": cpu}
    if "a" in med and "b" in med:
        result["speedup_b_over_a"] = med["a"] / med["b"]
        print(f"speedup  b/a = {med['a'] / med['b']:.2f}x   (target >= 2.3x)")
    paired = {pair: [runs[pair[0]][i]["seconds"] / runs[pair[1]][i]["seconds"]
                     for i in range(repeats)]
              for pair in (("a", "b"), ("b", "c")) if pair[0] in runs and pair[1] in runs}
    if paired and repeats > 1:
        # Each repeat runs a, b and c back to back: on a machine whose speed drifts
        # the ratio within a repeat is steadier than the ratio of the medians.
        print("per repeat: " + "; ".join(
            f"{x}/{y} = " + " ".join(f"{v:.2f}" for v in values)
            + f" (median {statistics.median(values):.2f})"
            for (x, y), values in paired.items()))
        result["per_repeat"] = {f"{x}/{y}": values for (x, y), values in paired.items()}
    if "b" in runs and len(runs["b"]) > 1 and not cold:
        first = runs["b"][0]["seconds"]
        result["b_first_seconds"] = first
        # against the a and c of the same repeat (the first values above)
        print(f"(b) first repeat, cold: {first:.1f} s" + "".join(
            f", {x}/{y} = {values[0]:.2f}" for (x, y), values in paired.items())
            + " (the medians above include the warm repeats)")
    if "b" in med and "c" in med:
        result["overhead_b_over_c"] = med["b"] / med["c"]
        print(f"overhead b/c = {med['b'] / med['c']:.3f}    (target <= 1.15: within 15 % of the floor)")
        result["cpu_b_over_c"] = cpu["b"] / cpu["c"]
        print(f"CPU time b/c = {cpu['b'] / cpu['c']:.3f}    (all processes' CPU seconds; what "
              "b/c tends to on a saturated machine)")
    if "b" in runs:
        startups = [r["startup"] for r in runs["b"]]
        result["b_startup_seconds"] = startups
        print(f"(b) start-up until the first submission began on a worker: median "
              f"{statistics.median(startups):.2f} s (all: "
              + " ".join(f"{v:.2f}" for v in startups) + "; target <= 1.5 s)")
    loads = [r["load_before"] for rs in runs.values() for r in rs]
    print(f"load average before the runs: {min(loads):.2f} to {max(loads):.2f} "
          f"(anything above ~0.5 means other work shared the CPUs)")
    print("peak memory (largest over the repeats):")
    if "a" in runs:
        print(f"  (a) nbgrader and its kernels: "
              f"{max(r['peak_rss'] for r in runs['a']) / MiB:.0f} MiB")
    if "b" in runs:
        workers_seen = {}
        for r in runs["b"]:
            for index, info in enumerate(sorted(r["workers"].values(),
                                                key=lambda w: -w["worker_peak_rss"])):
                seen = workers_seen.setdefault(index, [0, 0])
                seen[0] = max(seen[0], info["worker_peak_rss"])
                seen[1] = max(seen[1], info["kernel_peak_rss"])
        for index, (worker, kernel) in sorted(workers_seen.items()):
            print(f"  (b) worker {index + 1}: {worker / MiB:.0f} MiB, its sandboxed kernels "
                  f"{kernel / MiB:.0f} MiB")
        print(f"  (b) whole run (coordinator, workers, kernels): "
              f"{max(r['peak_rss'] for r in runs['b']) / MiB:.0f} MiB")
        result["b_workers"] = workers_seen
    if "c" in runs:
        print(f"  (c) one script: {max(r['peak_rss'] for r in runs['c']) / MiB:.0f} MiB")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quick", action="store_true", help="4 submissions, 1 repeat")
    parser.add_argument("--only", default="abc", help="which of a, b, c to run (default: abc)")
    parser.add_argument("--cold", action="store_true",
                        help="(b) without the plan cache and earlier timings in every repeat")
    parser.add_argument("--dir", help="work folder to keep (default: a temporary one)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.students, args.repeats = min(args.students, 4), 1

    base = Path(args.dir).resolve() if args.dir else Path(tempfile.mkdtemp(prefix="bench-"))
    if base.exists() and any(base.iterdir()):
        shutil.rmtree(base)
    base.mkdir(parents=True, exist_ok=True)
    try:
        print(f"Setting up {args.students} submissions in {base} ...", flush=True)
        template = make_release(base / "template", seed=SEED)
        students = class_samples(args.students)
        write_submissions(template, students)
        print("  " + ", ".join(name for name, _ in students), flush=True)
        stock = stock_course(template, base / "a-stock")
        ours = Path(shutil.copytree(template, base / "b-backprop"))
        scripts = prepare_scripts(template, base / "c-scripts")

        runs = {key: [] for key in args.only}
        for repeat in range(args.repeats):
            for key in args.only:
                load = _load()
                if key == "a":
                    result = run_stock(stock)
                elif key == "b":
                    result = run_backprop(ours, args.workers, cold=args.cold)
                else:
                    result = run_scripts(scripts, args.workers)
                result["load_before"] = load
                runs[key].append(result)
                print(f"  repeat {repeat + 1}: ({key}) {result['seconds']:.1f} s, exit "
                      f"{result['exit']}, load average before {load:.2f}", flush=True)

        for key, course in (("a", stock), ("b", ours)):
            if key in runs:
                graded = read_grades(course)
                missing = sorted(set(name for name, _ in students) - set(graded))
                if missing:
                    print(f"  WARNING: ({key}) left {len(missing)} submissions ungraded: "
                          f"{', '.join(missing)}")
        result = report(runs, args.students, args.workers, args.repeats, cold=args.cold)
        result["runs"] = runs
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    finally:
        if not args.dir:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
