"""``backprop``: the course's command line, a thin layer over the Python API.

Each sub-command is one function that declares its parser (description,
options with their defaults, exit codes, an example) and names the API call
that does the work; :func:`build_parser` puts them together. To add an option,
add it in that command's function.
"""

import argparse
import sys
import textwrap

# nbformat imports jsonschema, whose optional "iri" format checker builds a
# grammar with rfc3987_syntax at import: about 1.2 s of CPU before any work
# starts. Nothing here validates with a format checker (nbformat validates
# with fastjsonschema, nbgrader without format checks), so that optional
# import is skipped in this command's processes. Set before anything imports
# jsonschema.
sys.modules.setdefault("rfc3987_syntax", None)

from ..core.course import ASSIGNMENT  # noqa: E402
from ..workspace.folder import CourseError  # noqa: E402

DESCRIPTION = (
    "The command line of the auto-graded backpropagation course (an nbgrader unit). "
    "Students check their notebook before they submit; instructors grade a class in a "
    "sandbox, in parallel, and write a class report; `demo` shows it all on sample "
    "submissions.")
EPILOG = """\
Run `backprop COMMAND --help` for a command's options, defaults, exit codes and an example.

exit codes:
  0    success
  1    failure (an item failed, a submission failed to grade)
  2    usage or file error
  130  interrupted
"""
#: Width the descriptions are wrapped to (the epilogs are laid out by hand).
WIDTH = 88


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (seconds, workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _command(sub, name, *, help, description, exit_codes, example):
    """A sub-command's parser whose help shows its exit codes and an example."""
    epilog = "exit codes:\n" + "".join(f"  {code}  {meaning}\n" for code, meaning in exit_codes)
    epilog += "\nexample:\n" + "".join(f"  {line}\n" for line in example)
    return sub.add_parser(name, help=help, description=textwrap.fill(description, WIDTH),
                          epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)


# -- backprop demo -------------------------------------------------------------------------
def add_demo(sub) -> None:
    demo = _command(
        sub, "demo", help="build a course, grade a sample class, print the grades",
        description="Copy the course into a folder, generate the student version, write six "
        "sample submissions, grade them with `nbgrader autograde`, write their feedback and "
        "grades.csv, and print the grade of every item (about 90 s on two cores). With --dir "
        "the folder must be new or empty, or one an earlier demo made: the demo marks its "
        "folders and rebuilds only what it made, and refuses any other folder.",
        exit_codes=[(0, "every sample submission was graded"),
                    (1, "some sample submission failed to grade"),
                    (2, "the folder is not new, empty or the demo's own; or a file error")],
        example=["backprop demo --dir /tmp/backprop-demo"])
    demo.add_argument("--dir", metavar="DIR",
                      help="folder to build the course in and keep (default: a new "
                      "temporary folder)")
    demo.set_defaults(run=_demo)


def _demo(args):
    from ..demo.run import run_demo

    return run_demo(directory=args.dir, keep=args.dir is not None)


# -- backprop check ------------------------------------------------------------------------
def add_check(sub) -> None:
    check = _command(
        sub, "check", help="run a notebook and report every item with hints",
        description="Run a student's notebook the way the grader does (in the sandbox where "
        "bubblewrap is available) and print one line per graded item, with the mistake it "
        "recognises and a hint. Expected values come from the article's known numbers and "
        "finite differences, so no solutions are needed. Like the grader, it runs the "
        "notebook with the course's own data_prep.py and binary.csv, whatever copies sit "
        "next to it.",
        exit_codes=[(0, "every item passes"), (1, "some item fails"),
                    (2, "usage or file error (no such notebook, a folder, unreadable)")],
        example=["backprop check backprop.ipynb", "backprop check backprop.ipynb --json"])
    check.add_argument("notebook", help="the notebook to check, e.g. backprop.ipynb")
    check.add_argument("--timeout", type=positive_int, default=300,
                       help="seconds for the whole run (default: 300)")
    check.add_argument("--json", action="store_true",
                       help="print the results as JSON (default: one line per item)")
    check.set_defaults(run=_check)


def _check(args):
    from ..grading.check import run_check

    return run_check(args.notebook, timeout=args.timeout, as_json=args.json)


# -- backprop grade ------------------------------------------------------------------------
def add_grade(sub) -> None:
    grade = _command(
        sub, "grade", help="autograde submitted/ with a bounded worker pool",
        description="Autograde submitted/*/ASSIGNMENT of a course with the same protected "
        "pipeline as `nbgrader autograde`, running the notebooks in parallel (on local worker "
        "processes or a Dask cluster), then write the class report unless --no-report. Only new or changed submissions are graded unless --force; a run that "
        "was stopped is completed by the next one. The course is --course, or the course "
        "folder at or above the current folder; outside a course nothing is written.",
        exit_codes=[(0, "every submission was graded"),
                    (1, "some submission failed to grade, or the run was stopped"),
                    (2, "usage or file error (no course, unknown assignment, no submissions)")],
        example=["cd my-course && backprop grade backprop --workers 4",
                 "backprop grade backprop --course my-course --scheduler tls://HOST:8786 "
                 "--tls-ca-file ca.pem --tls-cert me.pem --tls-key me.key"])
    grade.add_argument("assignment", nargs="?", default=ASSIGNMENT,
                       help=f"the assignment to grade (default: {ASSIGNMENT})")
    grade.add_argument("--course", help="course folder (default: found from the current folder)")
    grade.add_argument("--workers", type=positive_int,
                       help="parallel submissions (default: CPU count)")
    grade.add_argument("--scheduler", help="Dask scheduler address, e.g. tls://HOST:8786 "
                       "(default: local worker processes)")
    grade.add_argument("--tls-ca-file", help="with a tls:// scheduler: the CA certificate "
                       "that signed the scheduler's and workers' certificates (default: "
                       "Dask's distributed.comm.tls.ca-file)")
    grade.add_argument("--tls-cert", help="with a tls:// scheduler: this client's certificate "
                       "(default: Dask's distributed.comm.tls.client.cert)")
    grade.add_argument("--tls-key", help="with a tls:// scheduler: this client's private key "
                       "(default: Dask's distributed.comm.tls.client.key)")
    grade.add_argument("--student", action="append",
                       help="grade only this student (repeatable; default: every student)")
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    grade.add_argument("--no-report", action="store_true",
                       help="do not write the class report at the end (`backprop report` "
                       "writes it; default: write it)")
    grade.add_argument("--require-sandbox", action="store_true",
                       help="refuse to grade where bubblewrap is not available (on a cluster: "
                       "workers without it refuse their tasks and are named)")
    grade.set_defaults(run=_grade)


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


# -- backprop report -----------------------------------------------------------------------
def add_report(sub) -> None:
    report = _command(
        sub, "report", help="write the class report (HTML, PNG, CSV)",
        description="Read a graded assignment from the course's gradebook and the grader's "
        "results, and write report.html (score histogram, each item's success rate, the most "
        "frequent diagnosed mistakes, the submissions that failed to grade), its charts as "
        "PNG files and items.csv (one row per student and item). The course is --course, or "
        "the course folder at or above the current folder.",
        exit_codes=[(0, "the report was written"),
                    (2, "usage or file error (no course, no gradebook, unknown assignment)")],
        example=["cd my-course && backprop report backprop",
                 "backprop report backprop --course my-course --out /tmp/report"])
    report.add_argument("assignment", nargs="?", default=ASSIGNMENT,
                        help=f"the assignment to report on (default: {ASSIGNMENT})")
    report.add_argument("--course", help="course folder (default: found from the current folder)")
    report.add_argument("--out", help="output folder (default: COURSE/reports/ASSIGNMENT)")
    report.set_defaults(run=_report)


def _report(args):
    from ..reports.class_report import run_report

    return run_report(args.assignment, course=args.course, out_dir=args.out)


# -- backprop edition ---------------------------------------------------------------------
def add_edition(sub) -> None:
    from ..workspace.edition import DEFAULT_LANG, EDITIONS

    edition_parser = _command(
        sub, "edition", help="write a translated edition of the assignment's source",
        description="Write source/EDITION/ (the notebook, data_prep.py, binary.csv) from the "
        f"English source/{ASSIGNMENT}/ and the translation catalogue "
        "autograder/locale/LANG/LC_MESSAGES/notebook.po: code cells, nbgrader metadata and "
        "cell ids unchanged, Markdown cells translated. With --update-catalogue, merge the "
        "English texts into the catalogue instead (new texts empty, changed ones fuzzy) "
        "for the translator. Then generate the release with nbgrader generate_assignment.",
        exit_codes=[(0, "the edition (or the catalogue) was written"),
                    (2, "the source or the catalogue is missing, or a translation is "
                        "missing, stale, fuzzy or empty")],
        example=["backprop edition && nbgrader generate_assignment backprop_zh --force"])
    edition_parser.add_argument("--lang", default=DEFAULT_LANG, choices=sorted(EDITIONS),
                                help=f"language of the edition (default: {DEFAULT_LANG})")
    edition_parser.add_argument("--course", help="course folder (default: found from the "
                                "current folder)")
    edition_parser.add_argument("--update-catalogue", action="store_true",
                                help="merge the English source into the catalogue; write no "
                                "edition")
    edition_parser.set_defaults(run=_edition)


def _edition(args):
    from ..workspace import edition

    if args.update_catalogue:
        path = edition.update_catalogue(course=args.course, lang=args.lang)
        print(f"updated {path}: translate its empty and fuzzy entries, then run: "
              f"{edition.COMMAND}")
        return 0
    dest = edition.write_edition(course=args.course, lang=args.lang)
    print(f"wrote {dest}; now run: nbgrader generate_assignment {dest.name} --force")
    return 0


#: Every sub-command, in the order ``backprop --help`` lists them.
COMMANDS = (add_demo, add_check, add_grade, add_report, add_edition)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop", description=textwrap.fill(DESCRIPTION, WIDTH), epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (CourseError, FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
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
