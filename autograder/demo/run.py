"""``backprop demo``: the whole course, end to end, on a sample class.

1. copy the course into a working folder (temporary, or ``--dir``: a new or
   empty folder, or one an earlier demo made; see :mod:`.folder`);
2. generate the release with ``nbgrader generate_assignment``;
3. write a class of sample submissions into ``submitted/``;
4. run ``nbgrader autograde``, ``generate_feedback`` and ``export``;
5. print every student's score on every item and where the outputs are.
"""

import sys
import tempfile
from pathlib import Path

import nbformat

from ..core.course import ASSIGNMENT, ITEMS, NOTEBOOK, TOTAL_POINTS
from ..grading.progress import Progress
from ..workspace.folder import make_course, nbgrader, read_grades
from . import folder as demo_folder
from . import samples


def grade_table(grades, students) -> str:
    """A plain-text table of students × items with totals."""
    ids = [item.grade_id for item in ITEMS]
    width = max(len(s) for s in students + ["student"])
    header = (f"{'':<{width}} | {'Example 1':<62}| {'Example 2':<44}|\n"
              f"{'student':<{width}} | " + " ".join(f"{item.short:>8}" for item in ITEMS)
              + " |  total")
    points = f"{'(points)':<{width}} | " + " ".join(f"{item.points:>8g}" for item in ITEMS) \
        + f" | {TOTAL_POINTS:>6g}"
    lines = [header, points, "-" * len(header.splitlines()[-1])]
    for student in students:
        row = grades.get(student, {})
        cells = []
        for grade_id in ids:
            score = row.get(grade_id)
            cells.append(f"{'-' if score is None else format(score, 'g'):>8}")
        total = sum(v for v in row.values() if v is not None)
        lines.append(f"{student:<{width}} | " + " ".join(cells) + f" | {total:>6g}")
    return "\n".join(lines)


def run_demo(*, directory=None, keep=False, class_samples=None) -> int:
    progress = Progress(6, sys.stdout, unit="step").step
    course = Path(directory).resolve() if directory else Path(tempfile.mkdtemp(prefix="backprop-demo-"))
    kept = demo_folder.prepare(course)  # refuses a folder the demo did not make
    make_course(course)
    if class_samples is None:
        class_samples = samples.load_catalogue(course).SAMPLES
    progress(f"Course folder: {course}")

    nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course=course)
    progress("Generated the release with `nbgrader generate_assignment`")

    release_nb = nbformat.read(str(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"), 4)
    source_nb = nbformat.read(str(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"), 4)
    samples.write_class(course / "submitted", release_nb, source_nb, class_samples)
    students = [sample.name for sample in class_samples]
    progress(f"Wrote {len(students)} sample submissions: " + ", ".join(students))

    result = nbgrader(["autograde", ASSIGNMENT, "--force"], course=course, check=False)
    (course / "autograde.log").write_text(result.stdout or "", encoding="utf-8")
    if result.returncode != 0:
        print(f"  nbgrader autograde exited {result.returncode}; see {course / 'autograde.log'}")
    progress("Autograded the class with `nbgrader autograde`")

    nbgrader(["generate_feedback", ASSIGNMENT, "--force"], course=course)
    nbgrader(["export"], course=course)
    progress("Wrote feedback (`nbgrader generate_feedback`) and grades (`nbgrader export`)")

    grades = read_grades(course)
    demo_folder.finish(course, kept)
    progress("Grades from the gradebook:")
    print()
    print(grade_table(grades, students))
    print()
    print("Descriptions of the sample submissions:")
    for sample in class_samples:
        print(f"  {sample.name:<14} {sample.description}")
    print()
    print(f"Feedback HTML: {course / 'feedback'}/<student>/{ASSIGNMENT}/{NOTEBOOK}.html")
    print(f"  e.g. {course / 'feedback' / students[0] / ASSIGNMENT / (NOTEBOOK + '.html')}")
    print(f"Grades CSV:    {course / 'grades.csv'}")
    if not keep:
        print("(a temporary folder; pass --dir DIR to build the course somewhere of your choosing)")
    missing = [s for s in students if s not in grades]
    return 1 if missing or result.returncode != 0 else 0
