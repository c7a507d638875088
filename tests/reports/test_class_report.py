"""The class report's parts on a synthetic class: no gradebook, no kernel.

The whole report on a graded course is tested in tests/pipeline/test_autograde.py.
"""

import csv

from autograder.core.course import ITEMS
from autograder.core.results import ItemResult, Status
from autograder.reports import charts, page
from autograder.reports.class_report import write_csv
from autograder.reports.collect import ClassResults

PNG = b"\x89PNG\r\n\x1a\n"


def a_class() -> ClassResults:
    full = {item.grade_id: float(item.points) for item in ITEMS}
    none = {item.grade_id: 0.0 for item in ITEMS}
    wrong = ItemResult("ex1_error", 0, 1, Status.INCORRECT, "`error` is off", "flip it",
                       "sign_error")
    return ClassResults(scores={"ann": full, "bob": none, "cy": dict(full, ex1_error=0.0)},
                        details={"bob": {"ex1_error": wrong}, "cy": {"ex1_error": wrong}},
                        failed={"dee": "the worker could not execute it"})


def test_students_totals_and_mistakes():
    results = a_class()
    assert results.students == ["ann", "bob", "cy", "dee"]
    assert results.total("ann") == sum(item.points for item in ITEMS)
    assert results.mistakes() == {"sign_error": ["bob", "cy"]}
    rates = charts.success_rates(results)
    assert rates["ex1_error"] == 1 / 3 and rates["ex2_loss"] == 2 / 3


def test_the_charts_are_pngs():
    results = a_class()
    for png in (charts.histogram_png(results), charts.success_png(charts.success_rates(results)),
                charts.mistakes_png(results.mistakes())):
        assert png[:8] == PNG


def test_the_page_names_the_mistakes_and_the_failures_and_escapes_names():
    results = a_class()
    results.failed["<script>"] = "odd <b>name</b>"
    images = {name: PNG for name in ("scores_histogram.png", "item_success.png", "mistakes.png")}
    html = page.render_html(results, images, charts.success_rates(results), "backprop")
    assert "sign error" in html and "bob, cy" in html
    assert "dee" in html and "the worker could not execute it" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_csv_has_a_row_per_student_and_item(tmp_path):
    write_csv(a_class(), tmp_path / "items.csv")
    with open(tmp_path / "items.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 * len(ITEMS)
    bob = {r["grade_id"]: r for r in rows if r["student"] == "bob"}
    assert bob["ex1_error"]["diagnosis"] == "sign_error" and bob["ex1_error"]["status"] == "incorrect"
    assert {r["status"] for r in rows if r["student"] == "dee"} == {"failed to grade"}


def test_counts_are_whole_numbers_and_items_have_readable_labels():
    results = a_class()
    seen = []
    charts.histogram_png(results, seen)
    charts.mistakes_png(results.mistakes(), seen)
    charts.success_png(charts.success_rates(results), seen)
    histogram, mistakes, success = seen
    assert all(float(t).is_integer() for t in histogram.get_yticks())
    assert all(float(t).is_integer() for t in mistakes.get_xticks())
    labels = [t.get_text() for t in success.get_yticklabels()]
    assert "Ex. 1: output error term" in labels and not any("`" in t for t in labels)


def test_late_penalties_are_shown_beside_the_raw_scores():
    results = a_class()
    results.penalties = {"ann": 2.0}
    assert results.total("ann") == 26 and results.final("ann") == 24
    images = {name: PNG for name in ("scores_histogram.png", "item_success.png", "mistakes.png")}
    html = page.render_html(results, images, charts.success_rates(results), "backprop")
    assert "after late penalties (1 late)" in html
    assert "<td>ann</td><td>26</td><td>2</td><td>24</td>" in html


def test_submissions_whose_code_raised_are_listed():
    results = a_class()
    raised = ItemResult("ex2_loss", 0, 2, Status.ERROR, "`losses` is not defined.")
    results.details["cy"]["ex2_loss"] = raised
    images = {name: PNG for name in ("scores_histogram.png", "item_success.png", "mistakes.png")}
    html = page.render_html(results, images, charts.success_rates(results), "backprop")
    assert "Submissions whose code raised an error" in html
    assert "<td>cy</td><td>ex2_loss</td><td><code>losses</code> is not defined.</td>" in html
    assert "<code>output_error_term</code>" in html  # item titles render their backticks


# -- the command on a course -------------------------------------------------------------------
def _course_with_gradebook(tmp_path):
    from nbgrader.api import Gradebook

    from autograder.workspace.folder import db_url, make_course
    from tests.support import REPO

    course = make_course(tmp_path / "course", template=REPO)
    with Gradebook(db_url(course)) as gradebook:
        gradebook.update_or_create_assignment("backprop")
    return course


def test_a_report_of_an_unknown_assignment_exits_2_and_writes_nothing(tmp_path, capsys):
    from autograder.reports.class_report import run_report

    course = _course_with_gradebook(tmp_path)
    before = sorted(p.name for p in course.iterdir())
    assert run_report("no_such_assignment", course=course) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"backprop report: unknown assignment 'no_such_assignment': the gradebook of "
                   f"{course.resolve()} has no such assignment (it has: backprop)")
    assert sorted(p.name for p in course.iterdir()) == before  # no reports/ folder


def test_a_report_without_a_gradebook_exits_2_and_creates_none(tmp_path, capsys):
    from autograder.reports.class_report import run_report
    from autograder.workspace.folder import make_course
    from tests.support import REPO

    course = make_course(tmp_path / "course", template=REPO)
    assert run_report("backprop", course=course) == 2
    assert "no gradebook" in capsys.readouterr().err
    assert not (course / "gradebook.db").exists() and not (course / "reports").exists()


def test_a_report_of_a_known_assignment_is_written(tmp_path):
    from autograder.reports.class_report import run_report

    course = _course_with_gradebook(tmp_path)
    assert run_report("backprop", course=course) == 0
    assert (course / "reports" / "backprop" / "report.html").is_file()
