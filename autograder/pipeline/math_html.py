"""Maths in the course's HTML pages as MathML: typeset by the browser, with no script.

A feedback page travels alone (``nbgrader release_feedback`` copies the HTML
file and nothing else) and is opened wherever the student is, offline too. A
typesetting script would have to be inlined into every page, a couple of
megabytes each, tens of gigabytes for a large class. Every current browser
typesets MathML itself, so the TeX of the notebook's Markdown (``$...$``,
``$$...$$``) is converted to MathML when the page is written, and the page asks
for a math font (:data:`MATH_STYLE`). Formulas that cannot be converted are
shown as their TeX source, escaped.

:func:`render_markdown` is what the course's ``markdown2html`` filter
(:func:`.student_html.markdown2html`) renders with, in every HTMLExporter the
course configures (the feedback and the formgrader's view).
"""

from __future__ import annotations

import html
import re
import secrets

import nh3
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

#: The fonts that typeset MathML well: TeX's own, then those Windows and macOS ship.
MATH_STYLE = ("math { font-family: 'Latin Modern Math', 'STIX Two Math', 'Cambria Math', "
              "math; font-size: 1.05em; } math[display=block] { margin: 0.6em 0; "
              "overflow-x: auto; overflow-y: hidden; }")


#: The MathML a formula may hold: presentation elements and their layout attributes.
#: (The converter copies ``\\text{...}`` through as it is, so its output is cleaned too.)
MATHML_TAGS = {"math", "mrow", "mi", "mo", "mn", "ms", "msub", "msup", "msubsup", "mfrac",
               "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
               "mtext", "mspace", "mstyle", "menclose", "mpadded", "mphantom", "merror"}
MATHML_ATTRIBUTES = {"xmlns", "display", "mathvariant", "stretchy", "accent", "accentunder",
                     "fence", "separator", "lspace", "rspace", "columnalign", "rowalign",
                     "columnspacing", "rowspacing", "columnlines", "rowlines", "frame",
                     "displaystyle", "scriptlevel", "linethickness", "width", "height",
                     "depth", "notation", "minsize", "maxsize", "movablelimits", "form",
                     "symmetric", "largeop"}
_MATHML = nh3.Cleaner(tags=MATHML_TAGS,
                      attributes={tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
                      url_schemes=set(), link_rel=None)


def tex_to_mathml(tex: str, *, display: bool) -> str:
    """MathML for ``tex``; its source in a ``<code>`` element when it cannot be converted."""
    try:
        return _MATHML.clean(convert(tex.strip(), display="block" if display else "inline"))
    except Exception:  # noqa: BLE001 - the converter raises many kinds on odd TeX
        text = html.escape(tex, quote=False)
        return f'<code class="tex">{"$$" if display else "$"}{text}{"$$" if display else "$"}</code>'


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with TeX turned into MathML.

    Each formula is rendered as a placeholder named by a fresh random key and
    kept aside (:attr:`formulas`), so that the rest of the page can be cleaned
    (:mod:`.student_html`) before the MathML, made by the converter from the TeX
    alone, is put in: a student's Markdown cannot smuggle markup in as maths."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.key = secrets.token_hex(8)
        self.formulas: list[str] = []

    def _keep(self, tex: str, display: bool) -> str:
        self.formulas.append(tex_to_mathml(tex, display=display))
        return f"bpmath{self.key}n{len(self.formulas) - 1}x"

    def block_math(self, body: str) -> str:
        return self._keep(body, True)

    def inline_math(self, body: str) -> str:
        return self._keep(body, False)

    def latex_environment(self, name: str, body: str) -> str:
        return self._keep(f"\\begin{{{name}}}{body}\\end{{{name}}}", True)

    def put_back(self, page: str) -> str:
        """``page`` with every placeholder replaced by its MathML."""
        pattern = re.compile(rf"bpmath{self.key}n(\d+)x")
        return pattern.sub(lambda m: self.formulas[int(m.group(1))], page)


def render_markdown(source: str, *, attachments=None, path="", clean=None) -> str:
    """Markdown to HTML as nbconvert renders it, with MathML for the maths; ``clean``
    (HTML -> HTML), when given, cleans everything but the maths."""
    renderer = MathMLRenderer(escape=False, attachments=attachments or {}, path=path,
                              anchor_link_text="¶")
    page = MarkdownWithMath(renderer=renderer).render(source)
    return renderer.put_back(clean(page) if clean else page)
