"""The feedback HTML: maths typeset offline, check cells as verdicts, items named.

A small graded course (a correct and a wrong submission) gets ``nbgrader
generate_feedback``; its pages are opened in headless Chromium with the
network off: its maths is MathML, typeset by the browser. The formgrader's
exporter, configured as the formgrader configures it, writes its maths the same
way.
"""

import json
import os
import re
from pathlib import Path

import pytest

from autograder.core.course import ASSIGNMENT, ITEMS, NOTEBOOK
from autograder.demo import samples
from autograder.demo.sample_class import make_release, write_submissions
from autograder.pipeline.feedback import name_items
from autograder.workspace.folder import nbgrader

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_the_summary_names_each_item():
    page = '<li><a href="#ex1_error">Test cell</a> (Score: 1)</li>'
    assert name_items(page) == ('<li><a href="#ex1_error">Example 1: output error '
                                '<code>error</code></a> (Score: 1)</li>')


@pytest.fixture(scope="module")
def feedback(tmp_path_factory):
    course = make_release(tmp_path_factory.mktemp("feedback") / "course", seed=7)
    by_name = {s.name: s for s in samples.SAMPLES}
    write_submissions(course, [("perfect", by_name["perfect"]),
                               ("sign_error", by_name["sign_error"])])
    nbgrader(["autograde", ASSIGNMENT], course=course)
    result = nbgrader(["generate_feedback", ASSIGNMENT], course=course)
    return course, result.stdout


@pytest.mark.slow
def test_feedback_has_no_cdn_no_noise_and_alt_texts(feedback):
    course, log = feedback
    assert "Alternative text is missing" not in log
    page = (course / "feedback" / "sign_error" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    scripts = re.findall(r"<script[^>]*>.*?</script>", page, re.S | re.I)
    assert "cdnjs" not in page and not any("mathjax" in s.lower() for s in scripts)
    assert "<script src" not in page  # nothing is fetched
    assert page.count("<math ") > 50 and "$$" not in page  # TeX converted when written
    assert len(page.encode()) < 600_000, len(page.encode())  # small enough for a big class
    assert ">Test cell<" not in page
    for item in ITEMS:
        assert f'id="{item.grade_id}"' in page  # the summary's links land on the verdicts
    assert "selfcheck.ex1_quantity" not in page  # check cells show their verdicts only
    assert page.count("output_execute_result") == 1  # the data table only, no score
    assert page.count('class="backprop-icon"') == len(ITEMS)
    assert "(carried forward)" in page and "#1f5f8b" in page
    assert "<code>error</code>" in page  # messages render their Markdown
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) >= 3 and all('alt="' in img for img in images)  # figure, 2 plots


@pytest.mark.slow
@pytest.mark.browser
def test_feedback_renders_its_maths_offline(feedback):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing")
    course, _ = feedback
    page_path = course / "feedback" / "sign_error" / ASSIGNMENT / f"{NOTEBOOK}.html"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(offline=True)
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        raw = page.evaluate("""() => [...document.querySelectorAll('.text_cell_render')]
            .map(e => e.innerText).join('\\n')""")
        # typeset: a displayed fraction is laid out as two rows, its numerator above its
        # denominator, whatever the font's metrics
        rows = page.evaluate("""() => [...document.querySelectorAll('math[display=block] mfrac')]
            .map(e => {
                const [top, bottom] = [...e.children].map(c => c.getBoundingClientRect());
                return [top.height, bottom.height, bottom.top - top.bottom];
            })""")
        browser.close()
    assert "$$" not in raw and "\\frac" not in raw, "maths left as TeX"
    assert len(rows) > 10, rows
    assert all(top > 0 and bottom > 0 and gap >= -0.5 for top, bottom, gap in rows), rows
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


@pytest.mark.slow
def test_the_formgrader_pages_write_their_maths_the_same_way(feedback):
    """The formgrader renders submissions with nbconvert's HTMLExporter and its own
    'formgrade' template; the course's config gives it MathML and no CDN."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course, _ = feedback
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    exporter = HTMLExporter(config=config)
    notebook = course / "autograded" / "perfect" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    resources = {"assignment_id": ASSIGNMENT, "notebook_id": NOTEBOOK, "submission_id": "x",
                 "index": 0, "total": 1, "base_url": "/", "student": "perfect",
                 "last_name": "", "first_name": "", "notebook_path": str(notebook)}
    html, _ = exporter.from_filename(str(notebook), resources=resources)
    assert html.count("<math ") > 50 and "cdnjs" not in html and "MathJax.Hub" not in html
    assert json.dumps(handlers.template_path) and Path(handlers.template_path).is_dir()
