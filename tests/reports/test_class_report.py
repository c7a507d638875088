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
                       "ex1.error.sign")
    return ClassResults(scores={"ann": full, "bob": none, "cy": dict(full, ex1_error=0.0)},
                        details={"bob": {"ex1_error": wrong}, "cy": {"ex1_error": wrong}},
                        failed={"dee": "the worker could not execute it"})


def test_students_totals_and_mistakes():
    results = a_class()
    assert results.students == ["ann", "bob", "cy", "dee"]
    assert results.total("ann") == sum(item.points for item in ITEMS)
    assert results.mistakes() == {"ex1.error.sign": ["bob", "cy"]}
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
    assert "Example 1, output error: sign flipped" in html and "bob, cy" in html
    assert "dee" in html and "the worker could not execute it" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_csv_has_a_row_per_student_and_item(tmp_path):
    write_csv(a_class(), tmp_path / "items.csv")
    with open(tmp_path / "items.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 * len(ITEMS)
    bob = {r["grade_id"]: r for r in rows if r["student"] == "bob"}
    assert bob["ex1_error"]["diagnosis"] == "ex1.error.sign"
    assert bob["ex1_error"]["status"] == "incorrect"
    assert {r["status"] for r in rows if r["student"] == "dee"} == {"failed to grade"}
