"""A translated edition of the assignment, generated from the English source and a
gettext catalogue, so the two editions cannot drift apart.

``source/backprop/backprop.ipynb`` is the one source. The catalogue
(``autograder/locale/<lang>/LC_MESSAGES/notebook.po``) holds one entry per Markdown cell
and one per figure label:

* ``msgctxt`` is the cell's id (``<cell id>/figure-<n>`` for a label of its n-th
  figure): it ties the entry to one cell, whatever other cells say;
* ``msgid`` is the English text itself (figures held out as ``[[figure n]]`` tokens,
  :mod:`.figures`). When the English changes, the entry no longer matches, so a stale
  translation is refused instead of shipped, and gettext tools (Poedit, Babel's
  ``update``, :func:`update_catalogue`) show the translator the old and new English.

:func:`render_edition` copies every code cell, every cell's metadata (the nbgrader grade
ids, points, locked and solution flags) and every id unchanged, replaces only the
Markdown, and records the language in the notebook's metadata
(``metadata["backprop"]["lang"]``). The other files of the assignment folder
(``data_prep.py``, ``binary.csv``) are copied byte for byte. ``backprop edition``
writes it into ``source/<edition>/``; ``backprop edition --update-catalogue`` merges
the English into the catalogue (new texts empty, changed ones fuzzy) for the translator.

nbformat and Babel are imported where they are used: the ``backprop`` command builds
its parser from this module's defaults, and nbformat alone takes about 2 s to import.
"""

import copy
from datetime import datetime, timezone
from pathlib import Path

from ..core import course as course_facts
from ..core.course import ASSIGNMENT, NOTEBOOK
from ..i18n import _
from .figures import FigureError, join_figures, labels_of, split_figures, translate_labels
from .folder import CourseError, course_folder

#: The translated editions: language (a gettext locale) -> assignment folder name
#: (:data:`autograder.core.course.EDITIONS`, whose English original is the source).
EDITIONS = {lang: name for name, lang in course_facts.EDITIONS.items() if name != ASSIGNMENT}
DEFAULT_LANG = "zh_CN"
#: The notebook-level metadata key that names the language (absent: English).
METADATA_KEY = "backprop"
DOMAIN = "notebook"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
COMMAND = "backprop edition"
UPDATE = f"{COMMAND} --update-catalogue"
HEADER = ("# The Markdown cells of the backpropagation notebook, translated.\n"
          "# msgctxt: the cell id (<cell id>/figure-<n>: a label of its n-th figure);\n"
          "# msgid: the English text of source/backprop/backprop.ipynb.\n"
          f"# After editing: {COMMAND}, then nbgrader generate_assignment <edition> --force.")


class EditionError(CourseError):
    """The source, the catalogue or a translation is missing, stale or unusable."""


def catalogue_path(lang=DEFAULT_LANG) -> Path:
    """Where the catalogue of ``lang`` lives in the package."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def edition_name(lang) -> str:
    if lang not in EDITIONS:
        raise EditionError(_("no edition for language {lang!r}; known: {known}").format(
            lang=lang, known=", ".join(EDITIONS)))
    return EDITIONS[lang]


def figure_context(cell_id, n) -> str:
    return f"{cell_id}/figure-{n}"


def read_source(course):
    """The English notebook of the course at ``course``."""
    import nbformat

    path = Path(course) / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    if not path.is_file():
        raise EditionError(_("no English source notebook at {path}").format(path=path))
    return nbformat.read(str(path), as_version=4)


def source_messages(nb):
    """``(context, English text)`` of every Markdown cell and figure label, in order."""
    messages = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if not cell.get("id"):
            raise EditionError(_("a Markdown cell of the English source has no id "
                                 "(nbformat 4.5 cell ids key the catalogue)"))
        try:
            text, figures = split_figures(cell.source)
        except FigureError as exc:
            raise EditionError(_("cell {cell}: {error}").format(cell=cell.id, error=exc)) \
                from exc
        messages.append((cell.id, text))
        for n, svg in enumerate(figures, start=1):
            messages += [(figure_context(cell.id, n), label) for label in labels_of(svg)]
    return messages


def read_catalogue(path):
    """The catalogue at ``path``, read by Babel."""
    from babel.messages.pofile import read_po

    path = Path(path)
    if not path.is_file():
        raise EditionError(_("no translation catalogue at {path}; run: {command}").format(
            path=path, command=UPDATE))
    with path.open("rb") as handle:
        try:
            return read_po(handle, abort_invalid=True)
        except Exception as exc:  # babel raises PoFileError, or ValueError on bad syntax
            raise EditionError(_("{path} is not a readable .po file: {error}").format(
                path=path, error=exc)) from exc


def _cell_entries(catalogue):
    """The catalogue's cell entries by context (a cell id); figure labels are looked up
    by context and English, as a figure has several."""
    return {message.context: message for message in catalogue
            if message.id and message.context and "/figure-" not in message.context}


def translation(catalogue, entries, context, english) -> str:
    """The translation of ``english`` in ``context``; one line of error if there is none
    to use (missing, stale, fuzzy or empty)."""
    is_label = "/figure-" in context
    message = catalogue.get(english, context=context) if is_label else entries.get(context)
    if message is None:
        if is_label:
            text = _("the catalogue has no entry for the label {label!r} of {context}; "
                     "run: {command}, then translate it")
        else:
            text = _("the catalogue has no entry for {context}; run: {command}, "
                     "then translate it")
        raise EditionError(text.format(label=english, context=context, command=UPDATE))
    if message.id != english:
        raise EditionError(_("the catalogue's entry for {context} is stale (its English "
                             "changed); run: {command}, then revise the fuzzy entry").format(
                                 context=context, command=UPDATE))
    if message.fuzzy:
        raise EditionError(_("the catalogue's entry for {context} is fuzzy: revise the "
                             "translation and remove the fuzzy flag").format(context=context))
    if not message.string or not message.string.strip():
        raise EditionError(_("the catalogue's entry for {context} is not translated "
                             "yet").format(context=context))
    return message.string


def translate_notebook(nb, catalogue, lang):
    """A copy of ``nb`` with every Markdown cell translated; everything else unchanged."""
    entries = _cell_entries(catalogue)
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "markdown":
            continue
        text, figures = split_figures(cell.source)
        figures = [translate_labels(svg, lambda label, n=n: translation(
                       catalogue, entries, figure_context(cell.id, n), label))
                   for n, svg in enumerate(figures, start=1)]
        try:
            cell.source = join_figures(translation(catalogue, entries, cell.id, text), figures)
        except FigureError as exc:
            raise EditionError(_("the translation of {cell}: {error}").format(
                cell=cell.id, error=exc)) from exc
    out.metadata[METADATA_KEY] = {
        "lang": lang,
        "generated": f"from source/{ASSIGNMENT}/{NOTEBOOK}.ipynb and autograder/locale/"
                     f"{lang}/LC_MESSAGES/{DOMAIN}.po by `{COMMAND}`; do not edit"}
    return out


def render_edition(*, course=None, lang=DEFAULT_LANG, catalogue=None) -> dict:
    """The files of the edition, ``{name: bytes}``, as :func:`write_edition` writes them."""
    import nbformat

    root = course_folder(course)
    edition_name(lang)
    nb = read_source(root)
    source_messages(nb)  # every Markdown cell has an id and readable figures
    translated = translate_notebook(nb, read_catalogue(catalogue or catalogue_path(lang)), lang)
    files = {f"{NOTEBOOK}.ipynb": (nbformat.writes(translated) + "\n").encode("utf-8")}
    for path in sorted((root / "source" / ASSIGNMENT).iterdir()):
        if path.is_file() and path.name != f"{NOTEBOOK}.ipynb":
            files[path.name] = path.read_bytes()
    return files


def write_edition(*, course=None, lang=DEFAULT_LANG, catalogue=None) -> Path:
    """Write the edition of ``lang`` into ``source/<edition>/`` of the course; its folder."""
    files = render_edition(course=course, lang=lang, catalogue=catalogue)
    dest = course_folder(course) / "source" / edition_name(lang)
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (dest / name).write_bytes(data)
    return dest


def _new_catalogue(lang):
    from babel.messages.catalog import Catalog

    return Catalog(locale=lang, domain=DOMAIN, project="backprop-course", version="1.0",
                   header_comment=HEADER, creation_date=datetime.now(timezone.utc),
                   fuzzy=False)


def template(nb, lang=DEFAULT_LANG):
    """The catalogue of the English texts, nothing translated (a .pot)."""
    pot = _new_catalogue(lang)
    for context, text in source_messages(nb):
        pot.add(text, context=context, locations=[(f"source/{ASSIGNMENT}/{NOTEBOOK}.ipynb",
                                                   None)])
    return pot


def write_catalogue(catalogue, path) -> None:
    from babel.messages.pofile import write_po

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        # width=0: lines break at the text's own newlines only, as the notebook has them
        write_po(handle, catalogue, width=0, omit_header=False, sort_output=False,
                 include_previous=True)


def update_catalogue(*, course=None, lang=DEFAULT_LANG, catalogue=None) -> Path:
    """Merge the English source into the catalogue of ``lang`` (created if missing):
    new texts get an empty entry, changed ones keep their old translation marked fuzzy
    (with the previous English beside it), removed ones become obsolete."""
    path = Path(catalogue or catalogue_path(lang))
    pot = template(read_source(course_folder(course)), lang)
    po = read_catalogue(path) if path.is_file() else _new_catalogue(lang)
    po.update(pot, update_header_comment=False, update_creation_date=False)
    write_catalogue(po, path)
    return path
