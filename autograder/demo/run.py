"""``backprop demo``: the whole course, end to end, on a sample class.

1. copy the course into a working folder (temporary, or ``--dir``: a new or
   empty folder, or one an earlier demo made; see :mod:`.folder`);
2. generate the release with ``nbgrader generate_assignment``;
3. write a class of sample submissions into ``submitted/``;
4. run ``nbgrader autograde``, ``generate_feedback`` and ``export``;
5. print every student's score on every item and where the outputs are.

With ``lang`` (``backprop demo --lang zh_CN``) it does all that for the edition of
the course in that language (``backprop_zh``: its release, its source, so its
feedback is in that language) and prints in that language.
"""

import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

import nbformat

from .. import i18n
from ..core.course import ITEMS, NOTEBOOK, TOTAL_POINTS
from ..grading.progress import Progress
from ..i18n import N_, _, ngettext
from ..workspace.columns import columns, ljust, rjust
from ..workspace.folder import make_course, nbgrader, read_grades
from . import folder as demo_folder
from . import samples

#: The descriptions of the demo's class (``SAMPLES`` in the course's
#: ``solutions/sample_submissions.py``), marked here for the translation catalogue:
#: the demo prints each in the reader's language (one not listed prints as written).
SAMPLE_DESCRIPTIONS = (
    N_("the reference solution"),
    N_("the release as handed out"),
    N_("error = output - target, so every step points uphill"),
    N_("the weight steps are not scaled by the learning rate"),
    N_("Example 2 moves the weights after every record"),
    N_("a typo makes backprop_step raise NameError"),
)


def grade_table(grades, students) -> str:
    """A plain-text table of students × items with totals."""
    ids = [item.grade_id for item in ITEMS]
    student = _("student")
    width = max(columns(s) for s in students + [student])
    example_1, example_2, points_label = _("Example 1"), _("Example 2"), _("(points)")
    header = (f"{ljust('', width)} | {ljust(example_1, 62)}| {ljust(example_2, 44)}|\n"
              f"{ljust(student, width)} | " + " ".join(f"{item.short:>8}" for item in ITEMS)
              + " | " + rjust(_("total"), 6))
    points = f"{ljust(points_label, width)} | " \
        + " ".join(f"{item.points:>8g}" for item in ITEMS) + f" | {TOTAL_POINTS:>6g}"
    lines = [header, points, "-" * columns(header.splitlines()[-1])]
    for name in students:
        row = grades.get(name, {})
        cells = []
        for grade_id in ids:
            score = row.get(grade_id)
            cells.append(f"{'-' if score is None else format(score, 'g'):>8}")
        total = sum(v for v in row.values() if v is not None)
        lines.append(f"{ljust(name, width)} | " + " ".join(cells) + f" | {total:>6g}")
    return "\n".join(lines)


def _described(sample) -> str:
    return _(sample.description) if sample.description else ""


def run_demo(*, directory=None, keep=False, class_samples=None, lang=None) -> int:
    """Build the course, grade the sample class and print the grades; ``lang``: the
    language of the edition graded and of what is printed (default: English)."""
    with nullcontext() if lang is None else i18n.language(lang):
        return _run_demo(directory, keep, class_samples, samples.edition_assignment(lang))


def _run_demo(directory, keep, class_samples, assignment) -> int:
    progress = Progress(6, sys.stdout, unit="step").step
    course = Path(directory).resolve() if directory else Path(tempfile.mkdtemp(prefix="backprop-demo-"))
    kept = demo_folder.prepare(course)  # refuses a folder the demo did not make
    make_course(course)
    if class_samples is None:
        class_samples = samples.load_catalogue(course).SAMPLES
    progress(_("Course folder: {folder}").format(folder=course))

    nbgrader(["generate_assignment", assignment, "--force"], course=course)
    progress(_("Generated the release with `nbgrader generate_assignment`"))

    release_nb = nbformat.read(str(course / "release" / assignment / f"{NOTEBOOK}.ipynb"), 4)
    source_nb = nbformat.read(str(course / "source" / assignment / f"{NOTEBOOK}.ipynb"), 4)
    samples.write_class(course / "submitted", release_nb, source_nb, class_samples,
                        assignment=assignment)
    students = [sample.name for sample in class_samples]
    progress(ngettext("Wrote {n} sample submission: {names}",
                      "Wrote {n} sample submissions: {names}", len(students)).format(
                          n=len(students), names=", ".join(students)))

    result = nbgrader(["autograde", assignment, "--force"],
                      course=course, check=False)
    (course / "autograde.log").write_text(result.stdout or "", encoding="utf-8")
    if result.returncode != 0:
        print("  " + _("nbgrader autograde exited {code}; see {log}").format(
            code=result.returncode, log=course / "autograde.log"))
    progress(_("Autograded the class with `nbgrader autograde`"))

    nbgrader(["generate_feedback", assignment, "--force"], course=course)
    nbgrader(["export"], course=course)
    progress(_("Wrote feedback (`nbgrader generate_feedback`) and grades (`nbgrader export`)"))

    grades = read_grades(course, assignment)
    demo_folder.finish(course, kept)
    progress(_("Grades from the gradebook:"))
    print()
    print(grade_table(grades, students))
    print()
    print(_("Descriptions of the sample submissions:"))
    for sample in class_samples:
        print(f"  {sample.name:<14} {_described(sample)}")
    print()
    print(_("Feedback HTML: {folder}/<student>/{assignment}/{notebook}.html").format(
        folder=course / "feedback", assignment=assignment, notebook=NOTEBOOK))
    print("  " + _("e.g. {path}").format(
        path=course / "feedback" / students[0] / assignment / (NOTEBOOK + ".html")))
    print(_("Grades CSV:    {path}").format(path=course / "grades.csv"))
    if not keep:
        print(_("(a temporary folder; pass --dir DIR to build the course somewhere of your "
                "choosing)"))
    missing = [s for s in students if s not in grades]
    return 1 if missing or result.returncode != 0 else 0
