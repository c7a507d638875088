"""Both editions through plain nbgrader: the same code scores the same, and a
submission of the Chinese edition is told its mistake in Chinese.

One course gets both releases; three sample submissions (correct, a sign slip
in Example 1, an Example 2 slip) are submitted to each edition, then
``nbgrader autograde`` and ``generate_feedback`` run per assignment, as an
instructor runs them.
"""

import html
import json
import re

import nbformat
import pytest

from autograder import i18n
from autograder.constants import RESULTS_FILE
from autograder.core.course import ASSIGNMENT, EDITIONS, NOTEBOOK, assignment_language
from autograder.core.diagnose import title
from autograder.demo import samples
from autograder.demo.sample_class import make_release, write_submissions
from autograder.workspace.folder import nbgrader, read_grades

pytestmark = pytest.mark.slow

CHINESE = f"{ASSIGNMENT}_zh"
STUDENTS = ("perfect", "sign_error", "every_record")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = make_release(tmp_path_factory.mktemp("editions") / "course", seed=11)
    nbgrader(["generate_assignment", CHINESE, "--force"], course=course)
    by_name = {sample.name: sample for sample in samples.SAMPLES}
    chosen = [(name, by_name[name]) for name in STUDENTS]
    for assignment in EDITIONS:
        write_submissions(course, chosen, assignment=assignment)
        nbgrader(["autograde", assignment], course=course)
        nbgrader(["generate_feedback", assignment], course=course)
    return course


def text_of(markup: str) -> str:
    """What a reader sees of some HTML, with no tags and entities decoded; without
    white space, which Chinese does not put between words (a tag is not a space)."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def plain(message: str) -> str:
    """A message as it reads once its Markdown is rendered, without white space."""
    return "".join(message.replace("`", "").replace("*", "").split())


def verdicts(course, assignment, student) -> str:
    nb = nbformat.read(str(course / "autograded" / student / assignment / f"{NOTEBOOK}.ipynb"), 4)
    return text_of("".join(output.get("data", {}).get("text/html", "")
                           for cell in nb.cells if cell.cell_type == "code"
                           for output in cell.get("outputs", [])))


def results(course, assignment, student) -> dict:
    path = course / "autograded" / student / assignment / RESULTS_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def diagnosed(course, assignment, student) -> list:
    return [item for item in results(course, assignment, student)["items"]
            if item.get("diagnosis")]


def test_each_edition_has_its_language():
    assert assignment_language(ASSIGNMENT) == "en"
    assert assignment_language(CHINESE) == "zh_CN"
    assert assignment_language("another_assignment") == "en"


def test_the_same_code_scores_the_same_in_either_edition(course):
    english, chinese = read_grades(course, ASSIGNMENT), read_grades(course, CHINESE)
    assert set(english) == set(STUDENTS)
    assert chinese == english
    totals = {student: sum(scores.values()) for student, scores in english.items()}
    assert totals["perfect"] == 26 and totals["sign_error"] < 26 and totals["every_record"] < 26


def test_a_chinese_sign_error_is_named_in_chinese_in_the_notebook_and_the_feedback(course):
    items = diagnosed(course, CHINESE, "sign_error")
    assert items, results(course, CHINESE, "sign_error")
    page = text_of((course / "feedback" / "sign_error" / CHINESE / f"{NOTEBOOK}.html")
                   .read_text(encoding="utf-8"))
    notebook = verdicts(course, CHINESE, "sign_error")
    with i18n.language("zh_CN"):
        for item in items:
            name = plain(title(item["diagnosis"]))
            assert CJK.search(name), name
            assert CJK.search(item["hint"]), item
            for shown in (notebook, page):
                assert name in shown, (name, shown[:2000])
                assert plain(item["hint"]) in shown, (item["hint"], shown[:2000])
    # the same submission in English: the same mistakes, told in English
    english = diagnosed(course, ASSIGNMENT, "sign_error")
    assert [item["diagnosis"] for item in english] == [item["diagnosis"] for item in items]
    english_page = text_of((course / "feedback" / "sign_error" / ASSIGNMENT /
                            f"{NOTEBOOK}.html").read_text(encoding="utf-8"))
    assert not CJK.search(english_page)
    for item in english:
        assert plain(title(item["diagnosis"])) in english_page


@pytest.mark.parametrize("student", STUDENTS)
def test_every_verdict_of_the_chinese_edition_is_in_chinese(course, student):
    shown = verdicts(course, CHINESE, student)
    for item in results(course, CHINESE, student)["items"]:
        assert CJK.search(item["message"]), item
        assert plain(item["message"]) in shown, (item["message"], shown[:2000])


def test_the_chinese_notebooks_own_plot_is_drawn_without_missing_glyphs(course):
    nb = nbformat.read(str(course / "autograded" / "perfect" / CHINESE / f"{NOTEBOOK}.ipynb"), 4)
    cells = [cell for cell in nb.cells if "label_loss_plot" in cell.source]
    assert len(cells) == 1
    outputs = cells[0].get("outputs", [])
    assert any("image/png" in output.get("data", {}) for output in outputs), outputs
    said = "".join(output.get("text", "") for output in outputs)
    assert "missing from" not in said and "Error" not in said, said
