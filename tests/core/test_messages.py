"""The checks' sentences: whole, and never handing over a TODO's code.

The last test runs the untouched release three ways (its own check cells,
``backprop check``, the grader's verdicts) and proves that no message or hint
quotes any part of a TODO's expression from the solutions.
"""

import contextlib
import io
import re

import nbformat
import pytest

from autograder.core import messages
from autograder.core.compare import compare
from autograder.core.course import ITEMS
from autograder.demo.samples import BEGIN, END
from tests.support import RELEASE_DIR, SOLUTIONS_DIR

TOKEN = re.compile(r"\w+|[^\w\s]")


def test_every_item_says_where_to_start_reading():
    assert set(messages.START) == {item.grade_id for item in ITEMS}
    for text in messages.START.values():
        assert text.endswith(".") and "*" in text or "`" in text


def test_describe_makes_one_sentence_per_kind_of_difference():
    assert messages.describe("x", compare(None, 1.0)) == "`x` has no value."
    assert messages.describe("x", compare("a", 1.0)) == (
        "`x` is a str, not a number or an array of numbers.")
    assert messages.describe("x", compare([[1, 2, 3]], [[1], [2], [3]])) == (
        "`x` has shape 1×3 but should have shape 3×1: it is transposed.")
    assert messages.describe("x", compare([1, 2], 1.0)) == (
        "`x` has shape 2 but should be a single number.")
    assert messages.describe("x", compare(2.0, 1.0)) == "`x` is off by a relative error of 1."


def test_plural_picks_the_form_by_count():
    assert messages.plural(1, "one {n}", "many {n}").format(n=1) == "one 1"
    assert messages.plural(3, "one {n}", "many {n}").format(n=3) == "many 3"


def todo_fragments(source_nb) -> set:
    """Every run of three or more tokens, with an operator, of a TODO's expression."""
    fragments = set()
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if BEGIN in line or END in line:
                inside = BEGIN in line
                continue
            if not inside or "=" not in line:
                continue
            tokens = TOKEN.findall(re.split(r"[+\-*/]?=", line, maxsplit=1)[1])
            for size in range(3, len(tokens) + 1):
                for start in range(len(tokens) - size + 1):
                    window = tokens[start:start + size]
                    if any(not t.isidentifier() for t in window) and \
                            any(t.isidentifier() for t in window):
                        fragments.add("".join(window))
    return fragments


def quoted(texts, fragments) -> list:
    squeezed = ["".join(TOKEN.findall(text)) for text in texts]
    return sorted({f for f in fragments for text in squeezed if f in text})


def test_the_fragment_finder_finds_a_quoted_expression(source_nb):
    fragments = todo_fragments(source_nb)
    assert "target-output" in fragments and "x[:,None]" in fragments
    assert quoted(["use learnrate * del_w_input_hidden / n_records"], fragments)
    assert not quoted(["Not attempted: `error` is still the placeholder `None`."], fragments)


def _own_check_cells(notebook) -> list:
    """Run the notebook's cells in this process (the untouched release is harmless)
    and collect what its check cells show."""
    space = {"__name__": "__main__"}
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(cell.source, "<cell>", "exec"), space)  # noqa: S102
        if cell.metadata.get("nbgrader", {}).get("grade"):
            shown.append(out.getvalue())
    return shown


@pytest.mark.slow
def test_no_check_of_an_untouched_notebook_quotes_a_todo(source_nb, release_nb, monkeypatch):
    import matplotlib

    from autograder.grading.check import check_notebook, grade_notebook
    from autograder.plan.course_data import load_course_data
    from autograder.plan.plan import build_plan
    from autograder.plan.reference import ReferenceExpectations

    matplotlib.use("Agg")
    monkeypatch.chdir(RELEASE_DIR)
    monkeypatch.syspath_prepend(str(RELEASE_DIR))
    fragments = todo_fragments(source_nb)
    own = _own_check_cells(release_nb)
    assert len(own) == len(ITEMS) and all("Not attempted" in text for text in own), own

    checked, _ = check_notebook(RELEASE_DIR / "backprop.ipynb", seed=1)
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), load_course_data(RELEASE_DIR), seed=1)
    graded, _ = grade_notebook(nbformat.read(str(RELEASE_DIR / "backprop.ipynb"), 4),
                               plan=plan, public_dir=RELEASE_DIR)
    texts = own + [f"{r.message} {r.hint}" for r in checked.items + graded.items]
    assert all(r.status.value == "not attempted" for r in checked.items + graded.items)
    assert not quoted(texts, fragments), quoted(texts, fragments)
    # and nothing but "where to start": no formula, no cause
    for result in checked.items + graded.items:
        assert result.hint == messages.START[result.grade_id]
