"""The release: in sync with source/, nothing secret in it, stored without outputs."""

import json

import nbformat
import pytest

from autograder.demo.samples import BEGIN, END
from autograder.workspace.folder import make_course, nbgrader
from tests.support import RELEASE_DIR, REPO, SOURCE_DIR, ZH_RELEASE_DIR, ZH_SOURCE_DIR

#: Every assignment of the course: the English one and its generated Chinese edition.
ASSIGNMENTS = {"backprop": (SOURCE_DIR, RELEASE_DIR),
               "backprop_zh": (ZH_SOURCE_DIR, ZH_RELEASE_DIR)}


def regenerate(assignment):
    return f"nbgrader generate_assignment {assignment} --force  (at the repository root)"


def _normalise(nb):
    """Drop what legitimately differs between two generations: cell ids."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        cell.pop("id", None)
    return nb


@pytest.fixture(scope="module")
def regenerated_course(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("course"))
    for assignment in ASSIGNMENTS:
        nbgrader(["generate_assignment", assignment, "--force"], course=course)
    return course


@pytest.mark.parametrize("assignment", sorted(ASSIGNMENTS))
def test_release_is_in_sync_with_source(regenerated_course, assignment):
    release_dir = ASSIGNMENTS[assignment][1]
    regenerated = regenerated_course / "release" / assignment
    committed = sorted(p.name for p in release_dir.iterdir())
    fresh = sorted(p.name for p in regenerated.iterdir())
    assert committed == fresh, (f"release/{assignment}/ file list is stale; "
                                f"run: {regenerate(assignment)}")
    for name in fresh:
        new, old = regenerated / name, release_dir / name
        if name.endswith(".ipynb"):
            same = _normalise(nbformat.read(str(new), 4)) == _normalise(nbformat.read(str(old), 4))
        else:
            same = new.read_bytes() == old.read_bytes()
        assert same, (f"release/{assignment}/{name} is out of sync with source/; "
                      f"run: {regenerate(assignment)}")


def test_the_releases_of_the_two_editions_differ_only_in_markdown_and_language():
    """Same cells, ids, grade cells, points and checksums: one assignment, two languages."""
    en, zh = (nbformat.read(str(ASSIGNMENTS[a][1] / "backprop.ipynb"), 4) for a in ASSIGNMENTS)
    assert [(c.cell_type, c.metadata, c.source if c.cell_type == "code" else None)
            for c in zh.cells] == \
        [(c.cell_type, c.metadata, c.source if c.cell_type == "code" else None) for c in en.cells]
    assert zh.metadata["backprop"]["lang"] == "zh_CN" and "backprop" not in en.metadata


def _solution_lines(source_nb):
    lines = set()
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside and line.strip():
                lines.add(line.strip())
    return lines


@pytest.mark.parametrize("assignment", sorted(ASSIGNMENTS))
def test_no_solution_text_leaks_into_the_release(assignment):
    source_dir, release_dir = ASSIGNMENTS[assignment]
    source_nb = nbformat.read(str(source_dir / "backprop.ipynb"), 4)
    release_nb = nbformat.read(str(release_dir / "backprop.ipynb"), 4)
    text = (release_dir / "backprop.ipynb").read_text(encoding="utf-8")
    for marker in (BEGIN, END, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    released_lines = {line.strip() for cell in release_nb.cells for line in cell.source.split("\n")}
    leaked = _solution_lines(source_nb) & released_lines
    assert not leaked, f"solution lines in the release: {sorted(leaked)}"


def _given_lines(source_nb):
    """Lines of the source notebook outside solution regions: handed out on purpose."""
    every = {line.strip() for cell in source_nb.cells for line in cell.source.split("\n")}
    return every - _solution_lines(source_nb)


def test_no_reference_code_in_the_release(source_nb):
    reference = (REPO / "solutions" / "reference.py").read_text(encoding="utf-8")
    secret = {line.strip() for line in reference.split("\n")
              if len(line.strip()) > 15 and not line.strip().startswith(("#", '"""', "def "))}
    secret -= _given_lines(source_nb)
    assert secret, "the reference should contain code that is not handed out"
    for path in (REPO / "release").rglob("*"):  # every assignment's release
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md"):
            text = path.read_text(encoding="utf-8")
            leaked = [line for line in secret if line in text]
            assert not leaked, f"{path}: {leaked}"


def test_the_grader_package_holds_no_reference_code(source_nb):
    """Students install the package for their self-checks: no solution line may be in it."""
    secret = _solution_lines(source_nb)
    reference = (REPO / "solutions" / "reference.py").read_text(encoding="utf-8")
    secret |= {line.strip() for line in reference.split("\n")
               if len(line.strip()) > 15 and not line.strip().startswith(("#", '"""', "def "))}
    secret -= _given_lines(source_nb)
    for path in (REPO / "autograder").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        leaked = [line for line in secret if len(line) > 12 and line in text]
        assert not leaked, f"{path}: {leaked}"


@pytest.mark.parametrize("folder", ["source", "release"])
def test_notebooks_are_stored_without_outputs(folder):
    notebooks = list((REPO / folder).rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(str(path), 4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path


@pytest.mark.parametrize("assignment", sorted(ASSIGNMENTS))
def test_every_todo_has_a_placeholder_so_the_release_runs(assignment):
    release_nb = nbformat.read(str(ASSIGNMENTS[assignment][1] / "backprop.ipynb"), 4)
    for cell in release_nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            assert "# YOUR CODE HERE" in cell.source
            assert "raise NotImplementedError" not in cell.source


@pytest.mark.parametrize("assignment", sorted(ASSIGNMENTS))
def test_release_has_one_grade_cell_per_item(assignment):
    from autograder.core.course import ITEMS

    release_nb = nbformat.read(str(ASSIGNMENTS[assignment][1] / "backprop.ipynb"), 4)
    graded = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader["points"]
              for c in release_nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    assert graded == {item.grade_id: item.points for item in ITEMS}


def test_the_packaged_copy_of_the_release_is_in_sync(tmp_path):
    """`backprop check` prepares notebooks with a copy of the release in the package."""
    from autograder.grading import release_cells

    fresh = release_cells.write(RELEASE_DIR, tmp_path / "copy")
    for name in sorted(p.name for p in fresh.iterdir()):
        same = (fresh / name).read_bytes() == (release_cells.COPY_DIR / name).read_bytes()
        assert same, f"autograder/grading/release/{name} is stale; run: {release_cells.REFRESH}"
