"""``backprop``: the course's command line, a thin layer over the Python API.

Each sub-command is one function that declares its parser (description,
options with their defaults, exit codes, an example) and names the API call
that does the work; :func:`build_parser` puts them together. To add an option,
add it in that command's function.

The command speaks the instructor's language: ``--lang LANG`` (before the
command, or after ``demo``, ``check``, ``grade`` or ``report``), else the
environment's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
:func:`main` sets it for the whole process before it builds the parser, so that
the help is in that language too (argparse's own words, "usage:", are the
standard library's).
"""

import argparse
import functools
import sys

# nbformat imports jsonschema, whose optional "iri" format checker builds a
# grammar with rfc3987_syntax at import: about 1.2 s of CPU before any work
# starts. Nothing here validates with a format checker (nbformat validates
# with fastjsonschema, nbgrader without format checks), so that optional
# import is skipped in this command's processes. Set before anything imports
# jsonschema.
sys.modules.setdefault("rfc3987_syntax", None)

from .. import i18n  # noqa: E402
from ..core.course import ASSIGNMENT  # noqa: E402
from ..i18n import N_, _  # noqa: E402
from ..workspace import columns  # noqa: E402
from ..workspace.folder import CourseError  # noqa: E402
from .options import (PROG, WIDTH, add_language, command_parser, explicit_language,  # noqa: E402
                      positive_int, usage_error)
from .options import requested_language as _requested_language  # noqa: E402
from .edition import add_edition  # noqa: E402

DESCRIPTION = N_(
    "The command line of the auto-graded backpropagation course (an nbgrader unit). "
    "Students check their notebook before they submit; instructors grade a class in a "
    "sandbox, in parallel, and write a class report; `demo` shows it all on sample "
    "submissions.")
EPILOG = N_("""\
Run `backprop COMMAND --help` for a command's options, defaults, exit codes and an example.

exit codes:
  0    success
  1    failure (an item failed, a submission failed to grade)
  2    usage or file error
  130  interrupted
""")


# -- backprop demo -------------------------------------------------------------------------
def add_demo(sub) -> None:
    demo = command_parser(
        sub, "demo", help=_("build a course, grade a sample class, print the grades"),
        description=_(
            "Copy the course into a folder, generate the student version, write six "
            "sample submissions, grade them with `nbgrader autograde`, write their feedback and "
            "grades.csv, and print the grade of every item (about 90 s on two cores). With --dir "
            "the folder must be new or empty, or one an earlier demo made: the demo marks its "
            "folders and rebuilds only what it made, and refuses any other folder. With --lang "
            "zh_CN it builds and grades the Chinese edition (backprop_zh) instead, its feedback "
            "and its output in Chinese."),
        exit_codes=[(0, _("every sample submission was graded")),
                    (1, _("some sample submission failed to grade")),
                    (2, _("the folder is not new, empty or the demo's own; or a file error"))],
        example=["backprop demo --dir /tmp/backprop-demo",
                 "backprop demo --lang zh_CN --dir /tmp/backprop-demo-zh"])
    demo.add_argument("--dir", metavar="DIR",
                      help=_("folder to build the course in and keep (default: a new "
                             "temporary folder)"))
    add_language(demo, _("language of the edition graded and of the output, one of "
                          "{choices} (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; "
                          "else en)"))
    demo.set_defaults(run=_demo)


def _demo(args):
    from ..demo.run import run_demo

    return run_demo(directory=args.dir, keep=args.dir is not None, lang=i18n.current())


# -- backprop check ------------------------------------------------------------------------
def add_check(sub) -> None:
    check = command_parser(
        sub, "check", help=_("run a notebook and report every item with hints"),
        description=_(
            "Run a student's notebook the way the grader does (in the sandbox where "
            "bubblewrap is available) and print one line per graded item, with the mistake it "
            "recognises and a hint. Expected values come from the article's known numbers and "
            "finite differences, so no solutions are needed. Like the grader, it runs the "
            "notebook with the course's own data_prep.py and binary.csv, whatever copies sit "
            "next to it."),
        exit_codes=[(0, _("every item passes")), (1, _("some item fails")),
                    (2, _("usage or file error (no such notebook, a folder, unreadable)"))],
        example=["backprop check backprop.ipynb", "backprop check backprop.ipynb --json",
                 "backprop check backprop.ipynb --lang en"])
    check.add_argument("notebook", help=_("the notebook to check, e.g. backprop.ipynb"))
    check.add_argument("--timeout", type=positive_int, default=300,
                       help=_("seconds for the whole run (default: 300)"))
    check.add_argument("--json", action="store_true",
                       help=_("print the results as JSON (default: one line per item)"))
    add_language(check, _("language of the report, one of {choices} (default: the "
                           "notebook's own language)"))
    check.set_defaults(run=_check)


def _check(args):
    from ..grading.check import run_check

    # without --lang (None): the notebook's own language, whatever the environment's
    return run_check(args.notebook, timeout=args.timeout, as_json=args.json,
                     lang=explicit_language(args))


# -- backprop grade ------------------------------------------------------------------------
def add_grade(sub) -> None:
    grade = command_parser(
        sub, "grade", help=_("autograde submitted/ with a bounded worker pool"),
        description=_(
            "Autograde submitted/*/ASSIGNMENT of a course with the same protected "
            "pipeline as `nbgrader autograde`, running the notebooks in parallel (on local "
            "worker processes or a Dask cluster), then write the class report unless "
            "--no-report. Only new or changed submissions are graded unless --force; a run that "
            "was stopped is completed by the next one. The course is --course, or the course "
            "folder at or above the current folder; outside a course nothing is written."),
        exit_codes=[(0, _("every submission was graded")),
                    (1, _("some submission failed to grade, or the run was stopped")),
                    (2, _("usage or file error (no course, unknown assignment, no "
                          "submissions)"))],
        example=["cd my-course && backprop grade backprop --workers 4",
                 "backprop grade backprop --course my-course --scheduler tls://HOST:8786 "
                 "--tls-ca-file ca.pem --tls-cert me.pem --tls-key me.key"])
    grade.add_argument("assignment", nargs="?", default=ASSIGNMENT,
                       help=_("the assignment to grade (default: {assignment})").format(
                           assignment=ASSIGNMENT))
    grade.add_argument("--course",
                       help=_("course folder (default: found from the current folder)"))
    grade.add_argument("--workers", type=positive_int,
                       help=_("parallel submissions (default: CPU count)"))
    grade.add_argument("--scheduler", help=_("Dask scheduler address, e.g. tls://HOST:8786 "
                                             "(default: local worker processes)"))
    grade.add_argument("--tls-ca-file", help=_(
        "with a tls:// scheduler: the CA certificate that signed the scheduler's and "
        "workers' certificates (default: Dask's distributed.comm.tls.ca-file)"))
    grade.add_argument("--tls-cert", help=_(
        "with a tls:// scheduler: this client's certificate (default: Dask's "
        "distributed.comm.tls.client.cert)"))
    grade.add_argument("--tls-key", help=_(
        "with a tls:// scheduler: this client's private key (default: Dask's "
        "distributed.comm.tls.client.key)"))
    grade.add_argument("--student", action="append",
                       help=_("grade only this student (repeatable; default: every student)"))
    grade.add_argument("--force", action="store_true",
                       help=_("regrade unchanged submissions too"))
    grade.add_argument("--feedback", action="store_true",
                       help=_("the workers also write each graded submission's feedback to "
                              "feedback/, as `nbgrader generate_feedback` would now (default: "
                              "leave the feedback to that command)"))
    grade.add_argument("--no-report", action="store_true",
                       help=_("do not write the class report at the end (`backprop report` "
                              "writes it; default: write it)"))
    grade.add_argument("--require-sandbox", action="store_true",
                       help=_("refuse to grade where bubblewrap is not available (on a "
                              "cluster: workers without it refuse their tasks and are named)"))
    add_language(grade, _("language of the output and of the class report, one of "
                           "{choices} (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; "
                           "else en); the feedback is in the assignment's own language"))
    grade.set_defaults(run=_grade)


def _grade(args):
    from ..grading.coordinator import run_grade

    on_tail = None
    if not args.no_report:  # the report's charts get ready while the last workers finish
        from ..reports.charts import prepare

        on_tail = functools.partial(prepare, i18n.current())
    code, report = run_grade(args.assignment, course=args.course, workers=args.workers,
                             scheduler=args.scheduler, force=args.force, students=args.student,
                             require_sandbox=args.require_sandbox,
                             tls_ca_file=args.tls_ca_file, tls_cert=args.tls_cert,
                             tls_key=args.tls_key, on_tail=on_tail, feedback=args.feedback)
    if report is not None and not args.no_report:
        _write_class_report(report.course, args.assignment)
    return code


def _write_class_report(course, assignment) -> None:
    """The class report after a run; the grades are saved whatever happens here."""
    from ..reports.class_report import write_report

    try:
        out = write_report(course=course, assignment=assignment)
        print(_("Class report: {html} (per-item CSV: {csv})").format(
            html=out / "report.html", csv=out / "items.csv"))
    except Exception as exc:  # noqa: BLE001 - the grades are saved; the report is a bonus
        print("backprop grade: " + _("the class report could not be written: {error}").format(
            error=exc), file=sys.stderr)


# -- backprop report -----------------------------------------------------------------------
def add_report(sub) -> None:
    report = command_parser(
        sub, "report", help=_("write the class report (HTML, PNG, CSV)"),
        description=_(
            "Read a graded assignment from the course's gradebook and the grader's "
            "results, and write report.html (score histogram, each item's success rate, the "
            "most frequent diagnosed mistakes, the submissions that failed to grade), its "
            "charts as PNG files and items.csv (one row per student and item). The course is "
            "--course, or the course folder at or above the current folder."),
        exit_codes=[(0, _("the report was written")),
                    (2, _("usage or file error (no course, no gradebook, unknown "
                          "assignment)"))],
        example=["cd my-course && backprop report backprop",
                 "backprop report backprop --course my-course --out /tmp/report",
                 "backprop report backprop_zh --lang zh_CN"])
    report.add_argument("assignment", nargs="?", default=ASSIGNMENT,
                        help=_("the assignment to report on (default: {assignment})").format(
                            assignment=ASSIGNMENT))
    report.add_argument("--course",
                        help=_("course folder (default: found from the current folder)"))
    report.add_argument("--out", help=_("output folder (default: COURSE/reports/ASSIGNMENT)"))
    add_language(report, _("language of the report, one of {choices} (default: from "
                            "LANGUAGE, LC_ALL, LC_MESSAGES or LANG; else en)"))
    report.set_defaults(run=_report)


def _report(args):
    from ..reports.class_report import run_report

    return run_report(args.assignment, course=args.course, out_dir=args.out)


#: Every sub-command, in the order ``backprop --help`` lists them.
COMMANDS = (add_demo, add_check, add_grade, add_report, add_edition)
#: The sub-commands' names (their ``add_`` functions' names without the prefix).
COMMAND_NAMES = tuple(add.__name__.removeprefix("add_") for add in COMMANDS)
#: The one command whose own ``--lang`` is not the language of its output but the
#: language of the edition it writes.
EDITION_COMMAND = "edition"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description=columns.fill(_(DESCRIPTION), WIDTH), epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_language(parser, _("language of the output, one of {choices} (default: from "
                            "LANGUAGE, LC_ALL, LC_MESSAGES or LANG; else en)"),
                  dest="global_lang")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def requested_language(argv):
    """The output language ``argv`` asks for with ``--lang``, or ``None``
    (:func:`.options.requested_language` over this command's sub-commands)."""
    return _requested_language(argv, COMMAND_NAMES, EDITION_COMMAND)


def main(argv=None) -> int:
    """Run the command ``argv`` (default: the process's arguments) in its language:
    its ``--lang``, else the environment's; that language stays this process's."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        requested = requested_language(argv)
    except argparse.ArgumentTypeError as exc:
        usage_error(exc)
    i18n.use(requested or i18n.from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    i18n.use(explicit_language(args) or i18n.from_environment())
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
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
