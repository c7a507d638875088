"""What a student produced, made inert before it reaches a page the course writes.

The feedback HTML (``nbgrader generate_feedback``) and the formgrader's view
of a submission are built from the autograded notebook by nbconvert, which
copies HTML outputs and the HTML inside Markdown as they are. A ``<script>``,
an ``onerror=``, an image whose base64 or width breaks out of its attribute,
or JavaScript output would then run in the page the instructor opens (with
the instructor's session in the formgrader).

The grader's own verdict HTML (the check cells' outputs, written by
:mod:`.apply_verdicts`) is trusted; everything else the student controls is not:

* :class:`SanitizeStudentOutputs` rebuilds the outputs of every cell that is
  not a check cell from what is known to be inert: text, error tracebacks,
  HTML cleaned by nh3, Markdown, LaTeX, SVG, base64 images, numeric image sizes;
  anything else (JavaScript, widgets, unknown types, other metadata) is
  dropped. It runs in the autograde pipeline right after the notebook ran, so
  the autograded notebook itself holds only inert outputs, and again whenever
  an ``HTMLExporter`` renders (installed by :mod:`.setup`).
* :func:`markdown2html` replaces nbconvert's filter of the same name in every
  ``HTMLExporter`` (feedback and formgrader templates alike): Markdown is
  rendered as nbconvert renders it, cleaned by nh3, and its maths put in as
  MathML made from the TeX (:mod:`.math_html`).
"""

import re

import nh3
from jinja2 import pass_context
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbgrader.utils import is_grade
from traitlets import Bool

from .math_html import render_markdown

#: Tags and attributes a cleaned fragment keeps: nh3's defaults, with the
#: classes, ids and titles notebooks use, and only harmless style properties.
ATTRIBUTES = {**{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
              "*": {"class", "id", "title", "style"}}
STYLE_PROPERTIES = {"color", "background-color", "text-align", "font-weight", "font-style",
                    "text-decoration", "vertical-align"}
#: Images must be inline data, of image types.
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*\Z")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*\Z")
#: Output types and the mime types of each that are kept (with how they are cleaned).
#: (An SVG is shown as an ``<img>``, where it cannot run scripts.)
TEXT_MIMES = ("text/plain", "text/markdown", "text/latex", "image/svg+xml")
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")


def _attribute_filter(element, attribute, value):
    """Inline images only: a remote or relative ``src`` would make the page that
    shows it send a request (with the instructor's cookies, in the formgrader)."""
    is_data = value.lower().lstrip().startswith("data:")
    if element == "img" and attribute == "src":
        return value if is_data and DATA_IMAGE.match(value.strip()) else None
    return None if is_data else value


_CLEANER = nh3.Cleaner(attributes=ATTRIBUTES, attribute_filter=_attribute_filter,
                       url_schemes=nh3.ALLOWED_URL_SCHEMES | {"data"},
                       filter_style_properties=STYLE_PROPERTIES)


def clean_html(fragment: str) -> str:
    """An HTML fragment without scripts, handlers, frames, forms or active URLs."""
    return _CLEANER.clean(fragment)


def _text(value):
    """A mime value as one string (nbformat allows a list of lines)."""
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    return value if isinstance(value, str) else None


def _size(value):
    return value if isinstance(value, int) and not isinstance(value, bool) \
        and 0 < value <= 10_000 else None


def clean_bundle(data, metadata):
    """``(data, metadata)`` of a display with only inert representations."""
    data = data if isinstance(data, dict) else {}
    metadata = metadata if isinstance(metadata, dict) else {}
    clean, meta = {}, {}
    for mime in TEXT_MIMES:
        text = _text(data.get(mime))
        if text is not None:
            clean[mime] = text
    html = _text(data.get("text/html"))
    if html is not None:
        clean["text/html"] = clean_html(html)
    for mime in IMAGE_MIMES:
        image = _text(data.get(mime))
        if image is not None and BASE64.match(image):
            clean[mime] = image
            sizes = metadata.get(mime) if isinstance(metadata.get(mime), dict) else {}
            kept = {key: _size(sizes.get(key)) for key in ("width", "height")}
            if any(kept.values()):
                meta[mime] = {key: value for key, value in kept.items() if value}
    return clean, meta


def clean_output(output):
    """An inert copy of one output, or ``None`` to drop it."""
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text"))
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return None if text is None else NotebookNode(output_type=kind, name=name, text=text)
    if kind == "error":
        trace = output.get("traceback")
        trace = [line for line in trace if isinstance(line, str)] if isinstance(trace, list) else []
        return NotebookNode(output_type=kind, ename=str(output.get("ename", "")),
                            evalue=str(output.get("evalue", "")), traceback=trace)
    if kind in ("display_data", "execute_result"):
        data, metadata = clean_bundle(output.get("data"), output.get("metadata"))
        if not data:
            return None
        clean = NotebookNode(output_type=kind, data=data, metadata=metadata)
        if kind == "execute_result":
            count = output.get("execution_count")
            clean["execution_count"] = count if isinstance(count, int) else None
        return clean
    return None


class SanitizeStudentOutputs(Preprocessor):
    """Rebuild the outputs of every cell but the check cells from inert parts,
    and drop cell tags that are not plain words (see the module)."""

    enabled = Bool(True, help="Whether the step runs (nbconvert's steps are off by default)."
                   ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        tags = cell.get("metadata", {}).get("tags")
        if tags is not None:
            cell.metadata["tags"] = [tag for tag in tags if isinstance(tag, str)
                                     and re.fullmatch(r"[\w-]{1,64}", tag)] \
                if isinstance(tags, list) else []
        if cell.get("cell_type") == "code" and not is_grade(cell):
            cleaned = (clean_output(output) for output in cell.get("outputs", []))
            cell.outputs = [output for output in cleaned if output is not None]
        return cell, resources


@pass_context
def markdown2html(context, source):
    """nbconvert's ``markdown2html``, its HTML cleaned by nh3, its maths MathML.

    A filter cannot reach its exporter, so Markdown renders with nbconvert's
    defaults (anchor links "¶", attachments inlined, no ``embed_images``)."""
    cell = context.get("cell", {}) or {}
    resources = context.get("resources", {}) or {}
    return render_markdown(source, attachments=cell.get("attachments", {}),
                           path=resources.get("metadata", {}).get("path", ""), clean=clean_html)
