"""``backprop``: the course's command line, a thin layer over the Python API.

    backprop demo [--dir DIR]          build a course, grade a sample class, show grades
    backprop check NOTEBOOK            self-check a student's notebook (exit 0 pass, 1 fail)
    backprop grade ASSIGNMENT [...]    grade submitted/ in parallel, or on a Dask cluster
    backprop report ASSIGNMENT         class analytics from the gradebook

Exit codes: 0 success, 1 failure (a failed item, a submission that failed to
grade), 2 usage or file error.
"""

import argparse
import sys

# nbformat imports jsonschema, whose optional "iri" format checker builds a
# grammar with rfc3987_syntax at import: about 1.2 s of CPU before any work
# starts. Nothing here validates with a format checker (nbformat validates
# with fastjsonschema, nbgrader without format checks), so that optional
# import is skipped in this command's processes. Set before anything imports
# jsonschema.
sys.modules.setdefault("rfc3987_syntax", None)

from ..core.course import ASSIGNMENT  # noqa: E402


def _demo(args):
    from ..demo.run import run_demo

    return run_demo(directory=args.dir, keep=args.dir is not None)


def _check(args):
    from ..grading.check import run_check

    return run_check(args.notebook, timeout=args.timeout, as_json=args.json)


def _grade(args):
    from ..grading.coordinator import run_grade

    code, report = run_grade(args.assignment, course=args.course, workers=args.workers,
                             scheduler=args.scheduler, force=args.force, students=args.student,
                             require_sandbox=args.require_sandbox,
                             tls_ca_file=args.tls_ca_file, tls_cert=args.tls_cert,
                             tls_key=args.tls_key)
    if report is not None and not args.no_report:
        _write_class_report(report.course, args.assignment)
    return code


def _write_class_report(course, assignment) -> None:
    """The class report after a run; the grades are saved whatever happens here."""
    from ..reports.class_report import write_report

    try:
        out = write_report(course=course, assignment=assignment)
        print(f"Class report: {out / 'report.html'} (per-item CSV: {out / 'items.csv'})")
    except Exception as exc:  # noqa: BLE001 - the grades are saved; the report is a bonus
        print(f"backprop grade: the class report could not be written: {exc}", file=sys.stderr)


def _report(args):
    from ..reports.class_report import run_report

    return run_report(args.assignment, course=args.course, out_dir=args.out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backprop", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="build a course, grade a sample class, print the grades")
    demo.add_argument("--dir", help="course folder to build (default: a temporary folder)")
    demo.set_defaults(run=_demo)

    check = sub.add_parser("check", help="run a notebook and report every item with hints")
    check.add_argument("notebook", help="the notebook to check, e.g. backprop.ipynb")
    check.add_argument("--timeout", type=int, default=300, help="seconds for the whole run")
    check.add_argument("--json", action="store_true", help="print the results as JSON")
    check.set_defaults(run=_check)

    grade = sub.add_parser("grade", help="autograde submitted/ with a bounded worker pool")
    grade.add_argument("assignment", nargs="?", default=ASSIGNMENT)
    grade.add_argument("--course", help="course folder (default: found from the current folder)")
    grade.add_argument("--workers", type=int, help="parallel submissions (default: CPU count)")
    grade.add_argument("--scheduler", help="Dask scheduler address, e.g. tls://HOST:8786")
    grade.add_argument("--tls-ca-file", help="with a tls:// scheduler: the CA certificate "
                       "that signed the scheduler's and workers' certificates")
    grade.add_argument("--tls-cert", help="with a tls:// scheduler: this client's certificate")
    grade.add_argument("--tls-key", help="with a tls:// scheduler: this client's private key")
    grade.add_argument("--student", action="append", help="grade only this student (repeatable)")
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    grade.add_argument("--no-report", action="store_true",
                       help="do not write the class report at the end (`backprop report` does)")
    grade.add_argument("--require-sandbox", action="store_true",
                       help="refuse to grade where bubblewrap is not available (on a cluster: "
                       "workers without it refuse their tasks and are named)")
    grade.set_defaults(run=_grade)

    report = sub.add_parser("report", help="write the class report (HTML, PNG, CSV)")
    report.add_argument("assignment", nargs="?", default=ASSIGNMENT)
    report.add_argument("--course", help="course folder (default: found from the current folder)")
    report.add_argument("--out", help="output folder (default: COURSE/reports/ASSIGNMENT)")
    report.set_defaults(run=_report)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        print(f"backprop {args.command}: {exc}", file=sys.stderr)
        return 2


def run() -> int:
    """The ``backprop`` console command: :func:`main`, then a quick exit.

    The objects still alive when the command is done are left to the operating
    system: frozen, they are skipped by the interpreter's final collections,
    which after a grading run walk the whole heap for about half a second.
    Output is flushed first; files and the gradebook are closed by then."""
    import gc

    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    return code
