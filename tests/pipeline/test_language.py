"""Every step that writes for one submission writes in its assignment's language:
``backprop`` in English (exactly as before), ``backprop_zh`` in Chinese; a step called
without an assignment keeps its caller's language."""

import json
import re
import warnings

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from traitlets.config import Config

from autograder import i18n, plot_fonts
from autograder.constants import MARK, UNREADABLE
from autograder.core.course import EX1_QUANTITIES
from autograder.core.results import ItemResult, Status
from autograder.pipeline import render, setup
from autograder.pipeline.apply_verdicts import GRADED_KEY, PLAN_KEY, ApplyVerdicts
from autograder.pipeline.cell_failures import explain
from autograder.pipeline.feedback import FeedbackExporter
from autograder.pipeline.guarded_execute import GuardedExecute
from autograder.pipeline.language import language_of, submission_language
from autograder.plan.execution import Execution
from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from tests.support import SOLUTIONS_DIR

needs_cjk_font = pytest.mark.skipif(plot_fonts.cjk_family() is None,
                                    reason="no CJK font installed (Debian: fonts-noto-cjk)")
CJK = re.compile(r"[\u4e00-\u9fff]")


def resources_of(assignment, **extra):
    info = {"assignment": assignment} if assignment else {}
    return {"nbgrader": info, "metadata": {}, **extra}


def test_the_language_is_the_assignments():
    assert language_of(resources_of("backprop")) == "en"
    assert language_of(resources_of("backprop_zh")) == "zh_CN"
    assert language_of(resources_of("someone_elses")) == "en"
    with i18n.language("zh_CN"):  # no assignment (backprop check): the caller's language
        assert language_of({}) == language_of(resources_of(None)) == "zh_CN"
        assert language_of(None) == "zh_CN"
        with submission_language(resources_of("backprop")) as code:
            assert code == i18n.current() == "en"
        assert i18n.current() == "zh_CN"


# -- the verdicts ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def plan(course_data):
    return build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=5, predictions=False)


def _wrong_error(plan):
    raw = {}
    for name, value in zip(EX1_QUANTITIES, plan.ex1_article):
        array = np.asarray(value, dtype=float) * 3
        raw[f"ex1.{name}"] = {"kind": "array", "shape": list(array.shape),
                              "data": array.ravel().tolist()}
    return Execution(payload=raw, events=["The kernel crashed while the grader called your "
                                          "functions."])


def verdicts(release_nb, plan, assignment, execution):
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    resources = resources_of(assignment, **{PLAN_KEY: plan})
    execution.store(resources)
    nb, resources = ApplyVerdicts(config=Config()).preprocess(nb, resources)
    shown = [out.data for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")
             for out in cell.outputs if out.output_type == "display_data"]
    return shown, resources[GRADED_KEY]


def test_an_english_assignment_is_graded_as_before(release_nb, plan):
    """With or without the assignment named, the English verdicts are the same."""
    execution = _wrong_error(plan)
    named, graded = verdicts(release_nb, plan, "backprop", execution)
    unnamed, _ = verdicts(release_nb, plan, None, execution)
    assert named == unnamed
    text = "\n".join(data["text/plain"] for data in named)
    assert not CJK.search(text)
    assert "0 of 1 point (incorrect)" in text and "points (error): " in text


def test_a_chinese_assignment_is_graded_in_chinese(release_nb, plan):
    execution = _wrong_error(plan)
    english, graded_en = verdicts(release_nb, plan, "backprop", execution)
    chinese, graded_zh = verdicts(release_nb, plan, "backprop_zh", execution)
    assert len(chinese) == len(english)
    for zh, en in zip(chinese, english):
        assert zh["text/html"] != en["text/html"] and CJK.search(zh["text/html"])
        assert zh["text/plain"] != en["text/plain"] and CJK.search(zh["text/plain"])
    # what code and the gradebook read stays as it is: the scores, the status values
    assert [(r.grade_id, r.score, r.status) for r in graded_zh.items] == \
        [(r.grade_id, r.score, r.status) for r in graded_en.items]
    assert {item["status"] for item in graded_zh.to_json()["items"]} <= {s.value for s in Status}
    assert i18n.current() == i18n.DEFAULT  # the language was the step's only


def test_an_unreadable_chinese_notebook_is_told_so_in_chinese(release_nb, plan):
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    nb.metadata[MARK] = {UNREADABLE: "it is not valid JSON (Expecting value)"}
    texts = {}
    for assignment in ("backprop", "backprop_zh"):
        resources = resources_of(assignment, **{PLAN_KEY: plan})
        GuardedExecute(harvest_spec={}).preprocess(nb, resources)  # runs nothing
        execution = Execution.stored(resources)
        texts[assignment] = execution.problem
    assert texts["backprop"] == "was not graded: your notebook could not be read"
    assert texts["backprop_zh"] != texts["backprop"] and CJK.search(texts["backprop_zh"])


# -- the explanations of failed cells --------------------------------------------------
def _failed_notebook():
    setup_cell = new_code_cell("import numpy as np", execution_count=1)
    setup_cell.metadata["nbgrader"] = {"grade_id": "setup"}
    setup_cell.outputs = [new_output("error", ename="CellTimeoutError",
                                     evalue="", traceback=[])]
    check = new_code_cell("selfcheck.ex1_quantity('error', error)")
    check.metadata["nbgrader"] = {"grade_id": "ex1_error", "grade": True}
    return new_notebook(cells=[setup_cell, check])


@pytest.mark.parametrize("note", ["This cell did not finish within 40 s, so the grader ran "
                                  "your notebook again without it.",
                                  "这个单元格在 40 秒内没有运行完，因此评分程序跳过它，重新运行了"
                                  "你的 notebook。"])
def test_a_timed_out_cells_limit_is_read_in_either_language(note):
    nb = _failed_notebook()
    nb.cells[0].outputs[0]["evalue"] = note
    item = ItemResult("ex1_error", 0, 1, Status.ERROR, "`error` was never reached.")
    explain([item], nb)
    assert item.message == ("Not run because the first code cell (the imports) did not finish "
                            "within 40 s and was skipped.")


def test_the_explanations_are_in_the_submissions_language():
    nb = _failed_notebook()
    nb.cells[0].outputs[0]["evalue"] = "This cell did not finish within 40 s."
    item = ItemResult("ex1_error", 0, 1, Status.ERROR, "`error` was never reached.")
    with submission_language(resources_of("backprop_zh")):
        explain([item], nb)
    assert CJK.search(item.message) and "40" in item.message


# -- how a verdict looks ---------------------------------------------------------------
RESULT = ItemResult("ex1_error", 1, 2, Status.CARRIED_FORWARD, "`error` follows.", "Look again.",
                    "ex1.error.sign")


def test_a_status_is_shown_in_words_but_stays_a_value():
    assert render.status_text(Status.NOT_ATTEMPTED) == "not attempted"
    assert render.as_text(RESULT).startswith("1 of 2 points (carried forward): `error` follows.")
    assert "<em>Hint:</em> Look again." in render.as_html(RESULT)
    assert RESULT.to_dict()["status"] == "carried forward"


def test_a_status_is_shown_in_chinese_in_a_chinese_submission():
    with i18n.language("zh_CN"):
        words = {status: render.status_text(status) for status in Status}
        text, page = render.as_text(RESULT), render.as_html(RESULT)
    assert all(CJK.search(word) for word in words.values()), words
    assert words[Status.CARRIED_FORWARD] in text and words[Status.CARRIED_FORWARD] in page
    assert "Hint" not in page and "carried forward" not in text


# -- the loss plot ---------------------------------------------------------------------
@pytest.fixture
def drawn_labels(monkeypatch):
    """The words of every loss plot drawn, and the warnings drawing it raised."""
    from matplotlib.figure import Figure

    seen, save = [], Figure.savefig

    def savefig(fig, *args, **kwargs):
        ax = fig.axes[0]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            save(fig, *args, **kwargs)
        seen.append(((ax.get_xlabel(), ax.get_ylabel(), ax.get_title(),
                      *[t.get_text() for t in ax.get_legend().get_texts()]),
                     [str(w.message) for w in caught]))

    monkeypatch.setattr(Figure, "savefig", savefig)
    return seen


def test_the_loss_plot_is_labelled_in_english(drawn_labels):
    curve = np.linspace(0.27, 0.25, 900)
    assert render.loss_curve_png(curve, curve)
    (labels, caught), = drawn_labels
    assert labels == ("epoch", "training MSE (all records)",
                      "Training loss: yours against the expected curve", "expected (reference)",
                      "your training")
    assert not caught


@needs_cjk_font
def test_the_loss_plot_of_a_chinese_submission_is_labelled_in_chinese(drawn_labels):
    curve = np.linspace(0.27, 0.25, 900)
    with i18n.language("zh_CN"):
        assert render.loss_curve_png(curve, curve)
    (labels, caught), = drawn_labels
    assert all(CJK.search(label) for label in labels), labels
    assert not [w for w in caught if "missing from" in w], caught  # no empty boxes


def test_without_a_cjk_font_the_plot_is_labelled_in_english(drawn_labels, monkeypatch):
    monkeypatch.setattr(plot_fonts, "cjk_family", lambda: None)
    curve = np.linspace(0.27, 0.25, 900)
    with i18n.language("zh_CN"):
        assert render.loss_curve_png(curve, curve)
    (labels, caught), = drawn_labels
    assert labels[0] == "epoch" and not any(CJK.search(label) for label in labels)


# -- the feedback page -----------------------------------------------------------------
def feedback_page(release_nb, assignment):
    config = setup.configure(Config(), "/nonexistent/course")
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata.nbgrader["score"] = 1
    resources = {"nbgrader": {"notebook": "backprop", "score": 3, "max_score": 17,
                              "late_penalty": 1, "assignment": assignment}}
    page, _ = FeedbackExporter(config=config).from_notebook_node(nb, resources)
    return page


def test_the_english_feedback_page_reads_as_nbgraders(release_nb):
    page = feedback_page(release_nb, "backprop")
    assert page.count("<h4>backprop (Score: 3.0 / 17.0)</h4>") == 1  # one summary
    assert '<li class="late-penalty">Late submission penalty (Score: -1.0)</li>' in page
    assert ('<a href="#ex1_error">Example 1: output error <code>error</code></a> '
            '(Score: 1.0 / 1.0)</li>') in page
    assert "<html>" in page and ">Test cell<" not in page


def test_a_chinese_feedback_page_is_in_chinese(release_nb):
    page = feedback_page(release_nb, "backprop_zh")
    assert '<html lang="zh-CN">' in page and page.count("<h4>") == 1
    summary = re.search(r"<h4>.*?</ol>", page, re.S).group(0)
    assert CJK.search(summary) and "Score" not in summary and "Test cell" not in summary
