"""Student outputs and Markdown are inert in every page the course writes.

A notebook holding active content in every form nbconvert renders (HTML with
scripts and handlers, JavaScript, an image whose base64 or width breaks out of
its attribute, an isolated iframe, Markdown with raw HTML, a cell tag that
breaks out of its class) is rendered the way ``nbgrader generate_feedback``
and the formgrader render an autograded notebook, with the course's own
config. The page must have no active content beyond what the same page of a
harmless notebook has, and the grader's verdict HTML must be kept as written.
"""

import copy
import re
from html.parser import HTMLParser

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.core.results import ItemResult, Status
from autograder.pipeline import student_html
from autograder.pipeline.render import verdict_outputs
from tests.support import REPO

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJ"
       "RU5ErkJggg==")
ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "form", "meta", "link"}


class ActiveContent(HTMLParser):
    """Every element or attribute of a page that can run code or load something."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.found.append((tag, tuple(sorted((k, v) for k, v in attrs))))
            self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or value.startswith(("javascript:", "vbscript:")) \
                    or (value.startswith("data:") and not value.startswith("data:image/")):
                self.found.append((tag, name, value[:80]))

    def handle_data(self, data):
        if self._in_script:
            self.found.append(("script-body", data.strip()[:200]))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def active(page: str) -> list:
    parser = ActiveContent()
    parser.feed(page)
    return sorted(map(repr, parser.found))


def graded_notebook(hostile: bool):
    """An autograded-looking notebook: a student's cell, Markdown, a verdict cell."""
    html = ('<b>table</b><script>alert("A")</script><img src=x onerror="alert(\'B\')">'
            '<a href="javascript:alert(1)">link</a><iframe src="https://example.org"></iframe>'
            '<svg onload="alert(2)"></svg><form action="/x"><input></form>'
            '<div style="position:fixed;top:0">overlay</div>') if hostile else "<b>table</b>"
    outputs = [new_output("display_data", data={"text/html": html, "text/plain": "t"})]
    if hostile:
        outputs += [
            new_output("display_data", data={"application/javascript": "alert('C')"}),
            new_output("display_data", data={"image/png": PNG},
                       metadata={"image/png": {"width": "1 onerror=alert('D')"}}),
            new_output("display_data", data={"image/png": 'x" onerror="alert(\'E\')'}),
            new_output("display_data", data={"text/markdown": "<script>alert('F')</script>"}),
            new_output("display_data", data={"text/html": "<b>G</b>"},
                       metadata={"text/html": {"isolated": True}}),
            new_output("display_data", data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "m"}}),
        ]
    student = new_code_cell("show()", outputs=outputs)
    if hostile:
        student.metadata["tags"] = ['x" onmouseover="alert(\'K\')']
    markdown = new_markdown_cell(
        "# Notes\n\nSome *maths*: $a < b$.\n\n" + (
            "<script>alert('H')</script><img src=x onerror=\"alert('I')\">\n\n"
            "[click](javascript:alert('J')) <details open ontoggle=\"alert('L')\">x</details>"
            if hostile else ""))
    verdict = ItemResult("ex1_error", 1, 1, Status.CORRECT, "`error` is correct.")
    check = new_code_cell("selfcheck()", outputs=verdict_outputs(verdict))
    check.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                  "grade_id": "ex1_error", "points": 1, "score": 1,
                                  "schema_version": 3}
    return nbformat.v4.new_notebook(cells=[markdown, student, check])


def course_config() -> Config:
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()


def page_config(template: str, base: Config) -> Config:
    """The exporter config nbgrader itself builds for ``generate_feedback`` or the formgrader."""
    if template == "feedback":
        from nbgrader.converters import GenerateFeedback
        from nbgrader.coursedir import CourseDirectory

        return GenerateFeedback(coursedir=CourseDirectory(config=base), config=base).config
    from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension

    config = copy.deepcopy(base)
    config.merge(FormgradeExtension(config=base).build_extra_config())
    return config


RESOURCES = {"nbgrader": {"notebook": "backprop", "score": 1, "max_score": 1, "late_penalty": 0},
             "assignment_id": "backprop", "notebook_id": "backprop", "submission_id": "s",
             "index": 0, "total": 1, "base_url": "", "student": "ann", "last_name": "",
             "first_name": "", "notebook_path": "x"}


def render(nb, template: str, base=None) -> str:
    """The page nbgrader's ``template`` ("feedback", "formgrade") makes of ``nb``."""
    config = page_config(template, course_config() if base is None else base)
    exporter = HTMLExporter(config=config)
    page, _ = exporter.from_notebook_node(copy.deepcopy(nb), copy.deepcopy(RESOURCES))
    return page


@pytest.mark.parametrize("template", ["feedback", "formgrade"])
def test_pages_hold_no_active_content_but_the_templates_own(template):
    harmless, hostile = render(graded_notebook(False), template), \
        render(graded_notebook(True), template)
    assert active(hostile) == active(harmless)
    for letter in "ABCDEFHIJKL":
        assert f"alert('{letter}')" not in hostile and f'alert("{letter}")' not in hostile
    assert "isolated-iframe" not in hostile
    assert "position:fixed;top:0\">overlay" not in hostile and ">overlay<" in hostile
    assert re.search(r'class="backprop-verdict" [^>]*style="border-left:4px solid', hostile)  # kept
    assert "<b>table</b>" in hostile and "<mo>&lt;</mo>" in hostile  # inert content kept


@pytest.mark.filterwarnings("ignore:Your element with mimetype")  # stock nbconvert's widget note
@pytest.mark.parametrize("template", ["feedback", "formgrade"])
def test_without_the_course_config_the_page_is_active(template):
    """The attack is real: stock nbconvert lets it through (so the test can fail)."""
    page = render(graded_notebook(True), template, base=Config())
    assert active(page) != active(render(graded_notebook(False), template, base=Config()))
    assert "alert('C')" in page and "onerror" in page


def test_the_pipeline_step_leaves_only_inert_outputs_in_the_notebook():
    nb = graded_notebook(True)
    verdicts = copy.deepcopy(nb.cells[2].outputs)
    step = student_html.SanitizeStudentOutputs()
    nb, _ = step(nb, {})  # as nbconvert calls a registered step
    student = nb.cells[1]
    kinds = [sorted(output.get("data", {})) for output in student.outputs]
    assert kinds == [["text/html", "text/plain"], ["image/png"], ["text/markdown"],
                     ["text/html"]]
    assert "script" not in student.outputs[0].data["text/html"]
    assert "onerror" not in student.outputs[0].data["text/html"]
    assert all(not output.metadata for output in student.outputs)
    assert student.metadata["tags"] == []
    assert nb.cells[2].outputs == verdicts  # the grader's verdict is untouched
    nbformat.validate(nb)


@pytest.mark.parametrize("output", [
    {"output_type": "stream", "name": "stdout", "text": ["a", "b"]},
    {"output_type": "stream", "name": "weird", "text": "a"},
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t", 5]},
    {"output_type": "execute_result", "execution_count": 3, "metadata": {},
     "data": {"text/plain": "3", "image/png": PNG}},
])
def test_inert_outputs_are_kept_valid(output):
    clean = student_html.clean_output(nbformat.from_dict(output))
    nbformat.validate(nbformat.v4.new_notebook(cells=[new_code_cell(outputs=[clean])]))
    assert clean.output_type == output["output_type"]


def test_images_must_be_inline_image_data():
    clean = student_html.clean_html
    assert clean('<img src="https://example.org/track.png">') == "<img>"
    assert clean('<img src="x">') == "<img>"
    inline = '<img src="data:image/png;base64,AAAA">'
    assert clean(inline) == inline
    assert clean('<img src="data:text/html;base64,AAAA">') == "<img>"
    assert clean('<a href="data:text/html,x">x</a>') == '<a rel="noopener noreferrer">x</a>'
