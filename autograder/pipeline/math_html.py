"""Maths in the course's HTML pages as MathML: typeset by the browser, with no script.

A feedback page travels alone (``nbgrader release_feedback`` copies the HTML
file and nothing else) and is opened wherever the student is, offline too. A
typesetting script would have to be inlined into every page, a couple of
megabytes each, tens of gigabytes for a large class. Every current browser
typesets MathML itself, so the TeX of the notebook's Markdown (``$...$``,
``$$...$$``) is converted to MathML when the page is written, and the page asks
for a math font (:data:`MATH_STYLE`). Formulas that cannot be converted are
shown as their TeX source, escaped.

:func:`markdown2html` replaces nbconvert's filter of the same name in every
HTMLExporter the course configures (the feedback and the formgrader's view).
"""

from __future__ import annotations

import html

from jinja2 import pass_context
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

#: The fonts that typeset MathML well: TeX's own, then those Windows and macOS ship.
MATH_STYLE = ("math { font-family: 'Latin Modern Math', 'STIX Two Math', 'Cambria Math', "
              "math; font-size: 1.05em; } math[display=block] { margin: 0.6em 0; "
              "overflow-x: auto; overflow-y: hidden; }")


def tex_to_mathml(tex: str, *, display: bool) -> str:
    """MathML for ``tex``; its source in a ``<code>`` element when it cannot be converted."""
    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - the converter raises many kinds on odd TeX
        text = html.escape(tex, quote=False)
        return f'<code class="tex">{"$$" if display else "$"}{text}{"$$" if display else "$"}</code>'


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with TeX turned into MathML."""

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, display=True)

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body, display=False)

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


def render_markdown(source: str, *, attachments=None, path="", embed_images=False,
                    anchor_link_text="¶", exclude_anchor_links=False) -> str:
    """Markdown to HTML as nbconvert renders it, with MathML for the maths."""
    renderer = MathMLRenderer(escape=False, attachments=attachments or {}, path=path,
                              embed_images=embed_images, anchor_link_text=anchor_link_text,
                              exclude_anchor_links=exclude_anchor_links)
    return MarkdownWithMath(renderer=renderer).render(source)


@pass_context
def markdown2html(context, source: str) -> str:
    """The ``markdown2html`` filter of the course's HTML pages (a cell's attachments
    and the notebook's folder come from the template's context, as in nbconvert)."""
    cell = context.get("cell", {}) or {}
    path = (context.get("resources", {}) or {}).get("metadata", {}).get("path", "")
    return render_markdown(source, attachments=cell.get("attachments", {}), path=path)
