"""The Chinese edition: one source, a catalogue, and a generator that keeps them in step."""

import re
import shutil
from collections import Counter

import nbformat
import pytest

from autograder.workspace import edition
from autograder.workspace.figures import TOKENS, split_figures
from autograder.workspace.folder import make_course
from tests.support import REPO, SOURCE_DIR, ZH_SOURCE_DIR

REGENERATE = f"{edition.COMMAND}  (at the repository root)"


@pytest.fixture(scope="module")
def english():
    return nbformat.read(str(SOURCE_DIR / "backprop.ipynb"), 4)


@pytest.fixture(scope="module")
def chinese():
    return nbformat.read(str(ZH_SOURCE_DIR / "backprop.ipynb"), 4)


@pytest.fixture(scope="module")
def catalogue():
    return edition.read_catalogue(edition.catalogue_path("zh_CN"))


# -- (a) the two editions are the same assignment ----------------------------------------
def _skeleton(nb):
    """Everything but the Markdown text: cell order, types, ids, metadata, code."""
    return [(cell.cell_type, cell.get("id"), cell.metadata,
             cell.source if cell.cell_type != "markdown" else None) for cell in nb.cells]


def _grade_cells(nb):
    return [(cell.id, cell.metadata.nbgrader.get("grade_id"), cell.metadata.nbgrader.get("points"),
             cell.metadata.nbgrader.get("locked"), cell.metadata.nbgrader.get("solution"))
            for cell in nb.cells if "nbgrader" in cell.metadata]


def test_the_editions_have_the_same_cells_ids_metadata_and_code(english, chinese):
    assert _skeleton(chinese) == _skeleton(english)
    assert _grade_cells(chinese) == _grade_cells(english)
    assert sum(c.cell_type == "markdown" for c in chinese.cells) == 18


def test_the_code_cells_are_byte_identical(english, chinese):
    en = [nbformat.writes(nbformat.v4.new_notebook(cells=[c])) for c in english.cells
          if c.cell_type == "code"]
    zh = [nbformat.writes(nbformat.v4.new_notebook(cells=[c])) for c in chinese.cells
          if c.cell_type == "code"]
    assert zh == en


def test_the_chinese_edition_names_its_language_and_the_english_none(english, chinese):
    assert chinese.metadata[edition.METADATA_KEY]["lang"] == "zh_CN"
    assert edition.METADATA_KEY not in english.metadata
    for cell in chinese.cells:
        if cell.cell_type == "markdown":
            assert re.search(r"[\u4e00-\u9fff]", cell.source), cell.id


def test_the_other_files_are_copies():
    names = sorted(p.name for p in SOURCE_DIR.iterdir() if p.is_file())
    assert sorted(p.name for p in ZH_SOURCE_DIR.iterdir() if p.is_file()) == names
    for name in names:
        if not name.endswith(".ipynb"):
            assert (ZH_SOURCE_DIR / name).read_bytes() == (SOURCE_DIR / name).read_bytes()


# -- (b) the committed edition is what the generator writes now --------------------------
def test_the_committed_edition_is_what_the_generator_writes():
    fresh = edition.render_edition(course=REPO)
    committed = sorted(p.name for p in ZH_SOURCE_DIR.iterdir() if p.is_file())
    assert committed == sorted(fresh), f"source/backprop_zh/ file list is stale; run: {REGENERATE}"
    for name, data in fresh.items():
        assert (ZH_SOURCE_DIR / name).read_bytes() == data, (
            f"source/backprop_zh/{name} is out of sync with source/backprop/ and the "
            f"catalogue; run: {REGENERATE}")


# -- (c) the catalogue: complete, reviewed, the maths and the code kept ------------------
_CODE = re.compile(r"`[^`\n]+`")
_DISPLAY = re.compile(r"\$\$.+?\$\$", re.S)
_INLINE = re.compile(r"\$[^$\n]+\$")


def spans(text):
    """The LaTeX (display and inline), inline-code and figure-token spans of ``text``."""
    code = _CODE.findall(text)
    rest = _CODE.sub(" ", text)
    display = _DISPLAY.findall(rest)
    rest = _DISPLAY.sub(" ", rest)
    return Counter(code + display + _INLINE.findall(rest) + TOKENS.findall(rest))


def test_spans_finds_maths_code_and_figures():
    found = spans("a $x_1$ and `f($y$)` then $$\\frac{1}{2}$$ and ![f]([[figure 1]])")
    assert found == Counter(["$x_1$", "`f($y$)`", "$$\\frac{1}{2}$$", "[[figure 1]]"])


def _problems(catalogue, english_nb):
    """Every Markdown text of the English without a usable translation, or whose
    translation drops a formula, a code span or a figure."""
    problems = []
    for context, english in edition.source_messages(english_nb):
        message = catalogue.get(english, context=context)
        if message is None:
            problems.append(f"{context}: no entry for the current English")
        elif message.fuzzy:
            problems.append(f"{context}: fuzzy")
        elif not (message.string or "").strip():
            problems.append(f"{context}: empty")
        else:
            missing = spans(english) - spans(message.string)
            if missing:
                problems.append(f"{context}: drops {sorted(missing)}")
    return problems


def test_every_markdown_cell_and_label_has_a_faithful_translation(catalogue, english):
    assert len(edition.source_messages(english)) == 23  # 18 cells and 5 figure labels
    problems = _problems(catalogue, english)
    assert not problems, f"{len(problems)} entries need work; run: {edition.UPDATE}\n" + \
        "\n".join(problems)


def test_a_dropped_formula_or_a_fuzzy_entry_is_found(catalogue, english):
    cell = "b2c1a003"
    message = next(m for m in catalogue if m.context == cell)
    saved, flags = message.string, set(message.flags)
    try:
        message.string = saved.replace("$\\hat y$", "ŷ", 1)
        assert _problems(catalogue, english) == [f"{cell}: drops ['$\\\\hat y$']"]
        message.string = saved
        message.flags.add("fuzzy")
        assert _problems(catalogue, english) == [f"{cell}: fuzzy"]
    finally:
        message.string, message.flags = saved, flags


def test_the_figure_is_held_out_of_the_catalogue_and_its_labels_translated(chinese, english):
    [en_svg] = split_figures(english.cells[1].source)[1]
    [zh_svg] = split_figures(chinese.cells[1].source)[1]
    assert ">hidden units<" in en_svg and ">隐藏层<" in zh_svg and "hidden units" not in zh_svg
    assert ">a₁ = f(h₁)<" in zh_svg  # formulas in the figure stay
    assert "base64" not in "".join(m.id for m in edition.template(english) if m.id)


# -- the generator's one-line refusals ---------------------------------------------------
@pytest.fixture
def course(tmp_path):
    root = make_course(tmp_path / "course", template=REPO)
    shutil.copy(edition.catalogue_path("zh_CN"), tmp_path / "notebook.po")
    return root


def _edit_english(course, old, new):
    path = course / "source" / "backprop" / "backprop.ipynb"
    nb = nbformat.read(str(path), 4)
    cell = next(c for c in nb.cells if old in c.source)
    cell.source = cell.source.replace(old, new, 1)
    nbformat.write(nb, str(path))
    return cell.id


def test_an_edited_english_cell_is_refused_until_its_translation_is_revised(course):
    po = course.parent / "notebook.po"
    cell = _edit_english(course, "There\nare no biases.", "There are no biases at all.")
    with pytest.raises(edition.EditionError, match=f"entry for {cell} is stale.*run: "
                       f"{re.escape(edition.UPDATE)}"):
        edition.render_edition(course=course, catalogue=po)
    edition.update_catalogue(course=course, catalogue=po)
    revised = edition.read_catalogue(po)
    entry = next(m for m in revised if m.context == cell)
    assert entry.fuzzy and "no biases at all" in entry.id and "偏差" in entry.string
    with pytest.raises(edition.EditionError, match=f"entry for {cell} is fuzzy"):
        edition.render_edition(course=course, catalogue=po)
    entry.flags.discard("fuzzy")
    edition.write_catalogue(revised, po)
    files = edition.render_edition(course=course, catalogue=po)
    assert "网络里没有偏差".encode() in files["backprop.ipynb"]


def test_a_missing_catalogue_or_source_is_named_in_one_line(course, tmp_path):
    with pytest.raises(edition.EditionError, match=r"^no translation catalogue at .*; run: "):
        edition.render_edition(course=course, catalogue=tmp_path / "none.po")
    (course / "source" / "backprop" / "backprop.ipynb").unlink()
    with pytest.raises(edition.EditionError, match=r"^no English source notebook at "):
        edition.render_edition(course=course, catalogue=course.parent / "notebook.po")


def test_a_new_english_cell_needs_an_entry(course):
    path = course / "source" / "backprop" / "backprop.ipynb"
    nb = nbformat.read(str(path), 4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("A new note.", id="newcell1"))
    nbformat.write(nb, str(path))
    with pytest.raises(edition.EditionError, match="no entry for newcell1"):
        edition.render_edition(course=course, catalogue=course.parent / "notebook.po")


def test_write_edition_writes_the_rendered_files(course):
    dest = edition.write_edition(course=course, catalogue=course.parent / "notebook.po")
    assert dest == course / "source" / "backprop_zh"
    committed = (ZH_SOURCE_DIR / "backprop.ipynb").read_bytes()
    assert (dest / "backprop.ipynb").read_bytes() == committed
    assert (dest / "binary.csv").is_file() and (dest / "data_prep.py").is_file()
