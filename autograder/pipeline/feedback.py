"""The feedback HTML that ``nbgrader generate_feedback`` writes.

:class:`FeedbackExporter` is nbgrader's HTML exporter with three changes:

* maths is MathML (:mod:`.math_html`), typeset by the browser with no script,
  so the page renders offline and after ``release_feedback``, which copies the
  HTML file alone; the formgrader's pages are written the same way;
* a check cell shows its verdict only: no source, no ``In [ ]`` and no
  ``Out[ ]: 0.0`` (the score nbgrader read is in the verdict already);
* the summary at the top names each item instead of "Test cell";
* the page is in the language of the submission's assignment
  (``resources["nbgrader"]["assignment"]``, :mod:`.language`): the template's
  words through ``jinja2.ext.i18n`` with the course's ``_`` and ``ngettext``,
  the verdicts as the autograde step wrote them, the item titles looked up.
"""

import html
import re
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default

from .. import i18n
from ..core.course import ITEMS_BY_ID
from ..i18n import _
from .language import submission_language
from .math_html import MATH_STYLE
from .render import inline_html
from .student_html import markdown2html

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE = "backprop-feedback"


def math_style(_value="") -> str:
    """The style the pages' MathML is typeset with (the ``mathjax`` macro's output)."""
    return MATH_STYLE


class VerdictOnly(Preprocessor):
    """Check cells show the verdict alone: their source and score output are hidden."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cell.outputs = [out for out in cell.outputs if out.output_type != "execute_result"]
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        return cell, resources


_SUMMARY_ENTRY = re.compile(r'<a href="#([\w.-]+)">Test cell</a>')


def name_items(page: str) -> str:
    """The summary's "Test cell" links, named after their items."""
    def title(match):
        item = ITEMS_BY_ID.get(match.group(1))
        label = inline_html(_(item.title)) if item else html.escape(match.group(1))
        return f'<a href="#{match.group(1)}">{label}</a>'
    return _SUMMARY_ENTRY.sub(title, page)


#: The ``lang`` of a page in a language other than English (its ``<html>`` tag).
HTML_LANG = {"zh_CN": "zh-CN"}


def with_language(page: str, code: str) -> str:
    """The page's ``<html>`` tag with the language it is written in (English pages as
    nbgrader writes them)."""
    tag = HTML_LANG.get(code)
    return page.replace("<html>", f'<html lang="{tag}">', 1) if tag else page


def install_i18n(environment) -> None:
    """Let the templates of ``environment`` look words up in the current language:
    ``{% trans %}`` and ``_()`` (Babel extracts both, see babel.cfg)."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(gettext=i18n._, ngettext=i18n.ngettext, newstyle=True)


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback page for this course (see the module docstring)."""

    @default("template_name")
    def _template_name_default(self):
        return TEMPLATE

    def default_filters(self):
        yield from super().default_filters()
        yield ("backprop_math_style", math_style)
        yield ("markdown2html", markdown2html)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.register_preprocessor(VerdictOnly, enabled=True)

    def _create_environment(self):
        environment = super()._create_environment()
        install_i18n(environment)
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        with submission_language(resources) as code:
            page, resources = super().from_notebook_node(nb, resources, **kw)
            return with_language(name_items(page), code), resources
