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


def test_a_class_of_ten_thousand_gives_a_page_of_bounded_size():
    n = 10_000
    full = {item.grade_id: float(item.points) for item in ITEMS}
    wrong = ItemResult("ex1_error", 0, 1, Status.INCORRECT, "`error` is off", "flip it",
                       "sign_error")
    raised = ItemResult("ex2_loss", 0, 2, Status.ERROR, "`losses` is not defined.")
    students = [f"student{index:05d}" for index in range(n)]
    results = ClassResults(scores={s: dict(full) for s in students},
                           details={s: {"ex1_error": wrong, "ex2_loss": raised}
                                    for s in students},
                           failed={f"gone{index:05d}": "timed out" for index in range(n)},
                           penalties={s: 1.0 for s in students})
    images = {name: PNG for name in ("scores_histogram.png", "item_success.png", "mistakes.png")}
    html = page.render_html(results, images, charts.success_rates(results), "backprop")
    assert len(html) < 200_000, len(html)
    shown, more = page.ROWS_SHOWN, n - page.ROWS_SHOWN
    assert html.count("nbgrader export lists every penalty") == 1
    assert html.count(f"... and {more} more") == 3  # late, raised, could not be graded
    assert f" and {n - page.NAMES_SHOWN} more (see items.csv)" in html
    assert f"<td>student{shown - 1:05d}</td>" in html and f"student{shown:05d}<" not in html


# -- the report in the instructor's language -----------------------------------------------------
import re  # noqa: E402
import warnings  # noqa: E402

import pytest  # noqa: E402

from autograder import i18n  # noqa: E402
from autograder.core.diagnose import title  # noqa: E402

CHINESE_CATALOGUE = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "backprop.mo"
HAN = re.compile(r"[\u4e00-\u9fff]")
IMAGES = {name: PNG for name in ("scores_histogram.png", "item_success.png", "mistakes.png")}


def test_the_page_is_in_english_by_default():
    results = a_class()
    html = page.render_html(results, IMAGES, charts.success_rates(results), "backprop")
    assert html.startswith("<!DOCTYPE html><html><head>")
    assert "<h1>Class report: backprop</h1>" in html and "<h2>Scores</h2>" in html
    assert "<th>mistake</th><th>students</th><th>who</th>" in html
    assert not HAN.search(html)


def test_the_page_in_chinese_has_chinese_headings_and_the_titles_of_the_stored_keys():
    results = a_class()
    with i18n.language("zh_CN"):
        html = page.render_html(results, IMAGES, charts.success_rates(results), "backprop_zh")
        mistake = title("ex1.error.sign")  # looked up from the stored family key
    assert html.startswith('<!DOCTYPE html><html lang="zh-CN"><head>')
    assert "<h1>班级报告：backprop_zh</h1>" in html and "<h2>成绩</h2>" in html
    assert "<h2>无法评分的提交</h2>" in html and "<th>学生</th>" in html
    assert f"<td>{mistake}</td>" in html
    assert "the worker could not execute it" in html  # a stored reason stays as it was


def _labels(ax):
    return [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]


def test_without_chinese_glyphs_the_charts_fall_back_to_english(monkeypatch):
    monkeypatch.setattr(charts.plot_fonts, "plot_language", lambda code=None: i18n.DEFAULT)
    results = a_class()
    seen = []
    with i18n.language("zh_CN"):
        charts.histogram_png(results, seen)
        charts.success_png(charts.success_rates(results), seen)
    histogram, success = seen
    assert histogram.get_ylabel() == "students"
    assert success.get_title() == "Success rate of each item"
    assert "Ex. 1: output error term" in [t.get_text() for t in success.get_yticklabels()]


def test_the_charts_are_labelled_in_chinese_with_a_font_that_has_the_glyphs():
    if charts.plot_fonts.plot_language("zh_CN") != "zh_CN":
        pytest.skip("no CJK font installed here (Debian: fonts-noto-cjk)")
    results = a_class()
    seen = []
    with i18n.language("zh_CN"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.histogram_png(results, seen)
        charts.mistakes_png(results.mistakes(), seen)
    histogram, mistakes = seen
    assert all(HAN.search(label) for label in _labels(histogram))
    assert HAN.search(mistakes.get_title())
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def test_the_report_is_written_in_the_language_asked_for(tmp_path, capsys):
    from autograder.reports.class_report import run_report

    course = _course_with_gradebook(tmp_path)
    assert run_report("backprop", course=course, lang="en") == 0
    assert capsys.readouterr().out.startswith("Class report: ")
    html = (course / "reports" / "backprop" / "report.html").read_text(encoding="utf-8")
    assert "<h2>Scores</h2>" in html and not HAN.search(html)
    if CHINESE_CATALOGUE.is_file():
        assert run_report("backprop", course=course, lang="zh_CN") == 0
        assert capsys.readouterr().out.startswith("班级报告：")
        html = (course / "reports" / "backprop" / "report.html").read_text(encoding="utf-8")
        assert "<h2>成绩</h2>" in html
    assert i18n.current() == i18n.DEFAULT  # the language applied to that report only


@pytest.mark.parametrize("code", ["en", "zh_CN"])
def test_charts_prepared_in_another_thread_come_out_the_same(code):
    import threading

    results = a_class()
    with i18n.language(code):
        before = charts.histogram_png(results)
    failures = []

    def prepare():
        try:
            charts.prepare(code)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    thread = threading.Thread(target=prepare)
    thread.start()
    thread.join()
    assert not failures
    with i18n.language(code):
        assert charts.histogram_png(results) == before
