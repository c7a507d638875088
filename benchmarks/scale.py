"""How the coordinator scales: 100, 1,000 and 10,000 submissions on a Dask cluster.

    .venv/bin/python benchmarks/scale.py                       # SQLite and PostgreSQL
    .venv/bin/python benchmarks/scale.py --sizes 100 1000 --databases sqlite

A real Dask scheduler with 2 workers (one thread each) runs on 127.0.0.1. The
sample class is first graded for real (sandboxed kernels), and each sample's
execution is recorded (``scale_replay.RecordingExecute``). Each size then
grades N generated submissions, copies of the samples, with ``backprop grade
--scheduler`` and the course's execution step replaced by a replay of those
recordings (``scale_replay.ReplayingExecute``): no student code runs, and
everything else does (the sanitize pass, the verdicts and plots on the
workers; the folders and gradebook batches on the coordinator). For each size
and gradebook it prints the coordinator's CPU per submission (all of it, and
without the run's fixed start-up), the wall time per submission, the
coordinator's peak memory and the time of ``nbgrader export`` and ``backprop
report``; then the ratio of the largest size's row to the smallest's, and how
many workers one coordinator can feed: what one real execution costs a worker
(its CPU and its kernels', from the recording run) over the coordinator's
marginal CPU per submission.

The PostgreSQL server is ``--pg-url`` or ``$BACKPROP_TEST_PG_URL``; a fresh
database is made for each run and dropped afterwards.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from autograder.core.course import ASSIGNMENT, NOTEBOOK
from autograder.demo import samples as sample_mod
from autograder.demo.sample_class import class_samples, make_release, write_submissions
from autograder.workspace.folder import nbgrader, tool_env

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 424242
MiB = 2**20
REPLAY_CONFIG = """
from scale_replay import {cls}
from autograder.pipeline.guarded_execute import GuardedExecute
c.Autograde.autograde_preprocessors = [{cls} if step is GuardedExecute else step
                                       for step in c.Autograde.autograde_preprocessors]
c.{cls}.recordings = {recordings!r}
"""


def bench_env(extra=None) -> dict:
    """The environment of every command: this folder importable (scale_replay)."""
    paths = [str(HERE), str(REPO), os.environ.get("PYTHONPATH", "")]
    return tool_env({"PYTHONPATH": os.pathsep.join(p for p in paths if p), **(extra or {})})


def run_measured(command, *, cwd=None, env=None):
    """(wall seconds, exit code, CPU seconds, peak RSS bytes, stderr tail)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return (time.monotonic() - started, os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def with_replay(course, cls, recordings) -> None:
    with open(Path(course) / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(REPLAY_CONFIG.format(cls=cls, recordings=str(recordings)))


# -- the recordings ---------------------------------------------------------------------


def record(base) -> tuple:
    """Grade the sample class for real, recording each execution. Returns (the
    course to copy from, the recordings folder, the real worker CPU per submission)."""
    template = make_release(base / "template", seed=SEED)
    recorder = Path(shutil.copytree(template, base / "recorder"))
    write_submissions(recorder, class_samples(len(sample_mod.SAMPLES)
                                              + len(sample_mod.EXTRA_SAMPLES)))
    recordings = base / "recordings"
    recordings.mkdir()
    with_replay(recorder, "RecordingExecute", recordings)
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--workers", "2",
               "--course", str(recorder)]
    result = subprocess.run(command, env=bench_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"recording the sample class failed:\n{result.stdout}{result.stderr}")
    last = json.loads((recorder / ".backprop" / "last-run.json").read_text())
    costs = [t["cpu_worker"] + t["cpu_kernels"] for t in last["timings"].values()]
    shutil.copytree(recorder / ".backprop" / "cache", template / ".backprop" / "cache")
    notebooks = sorted((recorder / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}.ipynb"))
    return template, recordings, statistics.median(costs), notebooks


def make_class(template, dest, notebooks, n, recordings) -> Path:
    """A course with ``n`` submissions, copies of the recorded samples."""
    course = Path(shutil.copytree(template, dest, ignore=shutil.ignore_patterns("submitted")))
    with_replay(course, "ReplayingExecute", recordings)
    submitted = course / "submitted"
    for index in range(n):
        folder = submitted / f"s{index:05d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copyfile(notebooks[index % len(notebooks)], folder / f"{NOTEBOOK}.ipynb")
    return course


# -- the gradebooks ---------------------------------------------------------------------


class Postgres:
    """Fresh databases on a running server, made from one template database."""

    def __init__(self, url, template_course):
        import sqlalchemy

        self.sqlalchemy = sqlalchemy
        self.base = sqlalchemy.engine.make_url(url)
        self.admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
        self.template = f"backprop_scale_{uuid.uuid4().hex[:10]}"
        self.made = [self.template]
        self._sql(f'CREATE DATABASE "{self.template}"')
        nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course=template_course,
                 env={"BACKPROP_DB_URL": self.url(self.template)})

    def url(self, name) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _sql(self, text):
        with self.admin.connect() as connection:
            connection.execute(self.sqlalchemy.text(text))

    def fresh(self) -> str:
        name = f"backprop_scale_{uuid.uuid4().hex[:10]}"
        self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.made.append(name)
        return self.url(name)

    def close(self):
        for name in reversed(self.made):
            self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


# -- listing a large class ---------------------------------------------------------------


def _rows_of(url, student):
    """A graded student's rows (grades, comments) as a record to copy for others."""
    import sqlalchemy
    from nbgrader import api

    from autograder.grading.records import NotebookRows

    t = api.Base.metadata.tables
    engine = sqlalchemy.create_engine(url, future=True)
    rows = NotebookRows()
    try:
        with engine.connect() as db:
            for name, table in (("grades", t["grade"]), ("comments", t["comment"])):
                query = (sqlalchemy.select(table, t["base_cell"].c.name.label("cell"))
                         .join(t["base_cell"], t["base_cell"].c.id == table.c.cell_id)
                         .join(t["submitted_notebook"],
                               t["submitted_notebook"].c.id == table.c.notebook_id)
                         .join(t["submitted_assignment"], t["submitted_assignment"].c.id
                               == t["submitted_notebook"].c.assignment_id)
                         .where(t["submitted_assignment"].c.student_id == student))
                for row in db.execute(query):
                    if name == "grades":
                        rows.grades[row.cell] = (row.auto_score, row.needs_manual_grade)
                    else:
                        rows.comments[row.cell] = row.auto_comment
    finally:
        engine.dispose()
    return rows


def listing(template, notebooks, recordings, n, base) -> dict:
    """A rerun over ``n`` graded, unchanged submissions: only the listing and the
    check of which changed (no file content is read). The class is made by
    grading the samples (replayed) and copying their rows and folders."""
    from autograder.grading.gradebook_writer import GradebookWriter
    from autograder.grading.records import GradedRecord
    from autograder.grading.state import GradeState, tree_hash
    from autograder.grading.submissions import stat_signature
    from autograder.workspace.folder import db_url

    course = make_class(template, base / "listing", notebooks, len(notebooks), recordings)
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--workers", "2",
               "--course", str(course), "--no-report"]
    subprocess.run(command, env=bench_env(), check=True, capture_output=True)
    url, state = db_url(course), GradeState(course)
    samples = sorted(p.name for p in (course / "submitted").iterdir())
    fingerprint = state.entry(ASSIGNMENT, samples[0])["fingerprint"]
    rows = {s: _rows_of(url, s) for s in samples}
    writer = GradebookWriter(url, ASSIGNMENT)
    batch, graded = [], {}
    for index in range(len(samples), n):
        student, sample = f"s{index:05d}", samples[index % len(samples)]
        for step in ("submitted", "autograded"):
            shutil.copytree(course / step / sample, course / step / student)
        folder = course / "submitted" / student / ASSIGNMENT
        graded[student] = dict(submission=tree_hash(folder), grading=fingerprint,
                               signature=stat_signature(folder), seconds=1.0)
        batch.append(GradedRecord(student, courses=["backprop-course"], student_row=True,
                                  submission_row=True, notebooks={NOTEBOOK: rows[sample]}))
        if len(batch) == 1000:
            writer.write(batch)
            state.record_many(ASSIGNMENT, graded)
            batch, graded = [], {}
    writer.write(batch)
    state.record_many(ASSIGNMENT, graded)
    state.save()
    writer.close()
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--workers", "2",
               "--course", str(course), "--no-report"]
    seconds, code, cpu, peak = run_measured(command, env=bench_env())
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    return {"n": n, "seconds": seconds, "cpu": cpu, "exit": code,
            "unchanged": len(last["up_to_date"]), "graded": len(last["graded"])}


# -- one run ----------------------------------------------------------------------------


def grade_once(course, address, env) -> dict:
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--scheduler",
               address, "--course", str(course), "--no-report"]
    seconds, code, cpu, peak = run_measured(command, env=env)
    last = json.loads((course / ".backprop" / "last-run.json").read_text())
    if code not in (0, 1) or len(last["graded"]) != len(last["submissions"]):
        raise SystemExit(f"grading {course} failed (exit {code}): {last['failed']}")
    export = run_measured([sys.executable, "-m", "nbgrader", "export"], cwd=course, env=env)
    report = run_measured([sys.executable, "-m", "autograder.cli", "report", ASSIGNMENT,
                           "--course", str(course)], env=env)
    html = course / "reports" / ASSIGNMENT / "report.html"
    return {"seconds": seconds, "cpu": cpu, "peak_rss": peak,
            "fixed_cpu": last.get("fixed_cpu", 0.0), "export": export[0],
            "report": report[0], "report_html_bytes": html.stat().st_size,
            "export_exit": export[1], "report_exit": report[1]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10_000])
    parser.add_argument("--databases", nargs="*", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=os.environ.get("BACKPROP_TEST_PG_URL"))
    parser.add_argument("--dir", help="work folder to keep (default: a temporary one)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--listing", type=int, default=0, metavar="N",
                        help="also time a rerun over N graded, unchanged submissions")
    args = parser.parse_args(argv)
    if "postgresql" in args.databases and not args.pg_url:
        parser.error("PostgreSQL needs --pg-url or $BACKPROP_TEST_PG_URL")
    from distributed import LocalCluster

    base = Path(args.dir).resolve() if args.dir else Path(tempfile.mkdtemp(prefix="scale-"))
    base.mkdir(parents=True, exist_ok=True)
    # The workers import scale_replay: spawned, they start with this sys.path.
    os.environ["PYTHONPATH"] = bench_env()["PYTHONPATH"]
    sys.path[:0] = [str(HERE), str(REPO)]
    results, pg = {}, None
    try:
        print("Recording the sample class (real sandboxed executions) ...", flush=True)
        template, recordings, real_cost, notebooks = record(base)
        if "postgresql" in args.databases:
            pg = Postgres(args.pg_url, template)
        sizes = args.sizes if args.databases else []
        with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None) if sizes
              else contextlib.nullcontext()) as cluster:
            for database in args.databases if sizes else []:
                for n in args.sizes:
                    course = make_class(template, base / f"{database}-{n}", notebooks, n,
                                        recordings)
                    env = bench_env()
                    if database == "postgresql":
                        env["BACKPROP_DB_URL"] = pg.fresh()
                    row = grade_once(course, cluster.scheduler_address, env)
                    results[(database, n)] = row
                    print(f"  {database:10} N={n:>6}: {row['seconds']:8.1f} s, coordinator "
                          f"{1000 * row['cpu'] / n:6.2f} ms CPU/submission, "
                          f"{row['peak_rss'] / MiB:5.0f} MiB", flush=True)
                    shutil.rmtree(course, ignore_errors=True)
        if args.sizes and args.databases:
            report(results, args.sizes, args.databases, real_cost)
        if args.listing:
            found = listing(template, notebooks, recordings, args.listing, base)
            results[("listing", args.listing)] = found
            print(f"Rerun over {found['n']} graded submissions: {found['unchanged']} found "
                  f"unchanged, {found['graded']} graded, in {found['seconds']:.1f} s "
                  f"({found['cpu']:.1f} s of CPU), exit {found['exit']}")
        if args.json:
            Path(args.json).write_text(json.dumps(
                {f"{d}-{n}": row for (d, n), row in results.items()} | {
                    "real_execution_cpu": real_cost}, indent=1))
    finally:
        if pg is not None:
            pg.close()
        if not args.dir:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def report(results, sizes, databases, real_cost) -> None:
    print()
    print("Dask scheduler + 2 workers (1 thread each) on 127.0.0.1; workers replay "
          f"recorded executions; {os.cpu_count()} CPUs")
    head = (f"{'gradebook':<11}{'N':>7}{'coord CPU ms/sub':>18}{'w/o start-up':>14}"
            f"{'wall ms/sub':>13}{'peak MiB':>10}{'export s':>10}{'report s':>10}"
            f"{'report.html KiB':>17}")
    print(head)
    for database in databases:
        for n in sizes:
            row = results[(database, n)]
            marginal = (row["cpu"] - row["fixed_cpu"]) / n
            print(f"{database:<11}{n:>7}{1000 * row['cpu'] / n:>18.2f}{1000 * marginal:>14.2f}"
                  f"{1000 * row['seconds'] / n:>13.1f}{row['peak_rss'] / MiB:>10.0f}"
                  f"{row['export']:>10.1f}{row['report']:>10.1f}"
                  f"{row['report_html_bytes'] / 1024:>17.0f}")
    small, large = min(sizes), max(sizes)
    for database in databases:
        a, b = results[(database, small)], results[(database, large)]
        ma, mb = [(r["cpu"] - r["fixed_cpu"]) / n for r, n in ((a, small), (b, large))]
        print(f"{database}: N={large} / N={small}: CPU per submission "
              f"{(b['cpu'] / large) / (a['cpu'] / small):.2f} (without start-up "
              f"{mb / ma:.2f}), wall per submission "
              f"{(b['seconds'] / large) / (a['seconds'] / small):.2f}, peak memory "
              f"{b['peak_rss'] / a['peak_rss']:.2f}")
        print(f"{database}: one real execution costs a worker {real_cost:.2f} s of CPU; the "
              f"coordinator's marginal cost at N={large} is {1000 * mb:.2f} ms: one "
              f"coordinator feeds about {real_cost / mb:.0f} workers")


if __name__ == "__main__":
    sys.exit(main())
