"""The course through real ``nbgrader autograde`` in a temporary course folder.

One class is graded once (module fixture) and every test reads its results:
the solution earns full marks, the untouched release earns 0 on every item
with "not attempted", a warning on stderr costs nothing, the wrong
implementations lose points, deleted check cells come back with 0, and a
submitted module that shadows the course's is not used.
"""

import csv
import json

import nbformat
import pytest

from autograder.core.course import ITEMS, TOTAL_POINTS
from autograder.demo import samples
from autograder.demo.samples import Sample
from autograder.workspace.folder import make_course, nbgrader, read_grades

pytestmark = pytest.mark.slow

WRONG = ("sign_error", "no_learnrate", "no_averaging", "no_hidden_derivative", "every_record")
EX2_TRAJECTORY = ("ex2_first_epoch", "ex2_final_weights", "ex2_loss", "ex2_other_data")

HIDDEN_SEED = 424242
DELETED_CHECK = Sample("deleted_check", "deletes the check cell of ex1_error and of ex2_loss")
SHADOW = Sample("shadow_module", "ships a data_prep.py and numpy.py next to a correct notebook")


def _without_checks(notebook, ids):
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    notebook.cells = [c for c in notebook.cells if samples.grade_id(c) not in ids]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("course"))
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.BackpropGrader.hidden_seed = {HIDDEN_SEED}\n")
    nbgrader(["generate_assignment", "backprop", "--force"], course=course)
    release = nbformat.read(str(course / "release/backprop/backprop.ipynb"), 4)
    source = nbformat.read(str(course / "source/backprop/backprop.ipynb"), 4)
    names = ("perfect", "untouched", "warns", "raises") + WRONG
    chosen = [s for s in samples.SAMPLES + samples.EXTRA_SAMPLES if s.name in names]
    samples.write_class(course / "submitted", release, source, chosen)

    solved = samples.solved(release, source)
    folder = course / "submitted" / DELETED_CHECK.name / "backprop"
    folder.mkdir(parents=True)
    nbformat.write(_without_checks(solved, {"ex1_error", "ex2_loss"}), str(folder / "backprop.ipynb"))

    folder = course / "submitted" / SHADOW.name / "backprop"
    folder.mkdir(parents=True)
    nbformat.write(solved, str(folder / "backprop.ipynb"))
    (folder / "data_prep.py").write_text("raise SystemExit('shadow data_prep was imported')\n")
    (folder / "numpy.py").write_text("raise SystemExit('shadow numpy was imported')\n")

    result = nbgrader(["autograde", "backprop", "--force"], course=course, check=False)
    (course / "autograde.log").write_text(result.stdout)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Traceback" not in result.stdout, result.stdout[-3000:]
    return course, read_grades(course), result


def _cell_text(course, student, grade_id):
    nb = nbformat.read(str(course / "autograded" / student / "backprop" / "backprop.ipynb"), 4)
    for cell in nb.cells:
        if samples.grade_id(cell) == grade_id:
            return "\n".join(out.get("data", {}).get("text/plain", "") for out in cell.outputs)
    raise AssertionError(f"no cell {grade_id}")


def test_every_student_is_graded_on_every_item(graded):
    course, grades, _ = graded
    assert len(grades) == 11
    for student, row in grades.items():
        assert set(row) == {item.grade_id for item in ITEMS}, student
        assert all(score is not None for score in row.values()), student


def test_solution_earns_full_marks(graded):
    _, grades, _ = graded
    assert grades["perfect"] == {item.grade_id: float(item.points) for item in ITEMS}


def test_untouched_release_earns_zero_and_says_not_attempted(graded):
    course, grades, _ = graded
    assert all(score == 0 for score in grades["untouched"].values())
    for item in ITEMS:
        assert "not attempted" in _cell_text(course, "untouched", item.grade_id).lower(), item


def test_a_warning_on_stderr_costs_nothing(graded):
    _, grades, _ = graded
    assert sum(grades["warns"].values()) == TOTAL_POINTS


@pytest.mark.parametrize("student", WRONG)
def test_wrong_implementations_lose_points_in_example_2(graded, student):
    _, grades, _ = graded
    row = grades[student]
    assert sum(row.values()) < TOTAL_POINTS
    lost = [gid for gid in EX2_TRAJECTORY if row[gid] < dict((i.grade_id, i.points) for i in ITEMS)[gid]]
    assert lost, f"{student} kept every Example 2 trajectory point: {row}"


def test_sign_error_fails_the_accuracy_threshold_too(graded):
    _, grades, _ = graded
    assert grades["sign_error"]["ex2_accuracy"] == 0


def test_missing_learning_rate_is_caught_in_example_1(graded):
    _, grades, _ = graded
    assert grades["no_learnrate"]["ex1_delta_w_h_o"] == 0
    assert grades["no_learnrate"]["ex1_error"] == 1


def test_a_raising_notebook_is_graded_not_crashed(graded):
    course, grades, _ = graded
    row = grades["raises"]
    assert all(row[f"ex1_{q}"] == 0 for q in ("error", "delta_w_i_h"))
    assert row["ex2_final_weights"] == 3  # Example 2 still counts
    assert "NameError" in _cell_text(course, "raises", "ex1_other_inputs")


def test_deleted_check_cells_are_restored_and_score_zero(graded):
    course, grades, _ = graded
    row = grades["deleted_check"]
    assert row["ex1_error"] == 0 and row["ex2_loss"] == 0
    assert row["ex1_output_error_term"] == 2
    assert "deleted" in _cell_text(course, "deleted_check", "ex1_error")


def test_submitted_modules_do_not_shadow_the_course(graded):
    _, grades, _ = graded
    assert sum(grades["shadow_module"].values()) == TOTAL_POINTS


def test_scores_are_written_as_builtin_floats(graded):
    course, _, _ = graded
    nb = nbformat.read(str(course / "autograded/no_hidden_derivative/backprop/backprop.ipynb"), 4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert len(results) == 1
            text = results[0].data["text/plain"]
            assert "np." not in text and float(text) >= 0


def test_feedback_and_export(graded):
    course, grades, _ = graded
    nbgrader(["generate_feedback", "backprop", "--force"], course=course)
    html = (course / "feedback/untouched/backprop/backprop.html").read_text(encoding="utf-8")
    assert "Not attempted" in html
    nbgrader(["export"], course=course)
    with open(course / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert rows["perfect"] == TOTAL_POINTS and rows["untouched"] == 0
    assert rows == {s: pytest.approx(sum(v.values())) for s, v in grades.items()}


def _secret_strings(course):
    """Texts that must never reach a student: hidden inputs, expected values, reference code."""
    import numpy as np

    from autograder.plan.course_data import load_course_data
    from autograder.plan.plan import build_plan
    from autograder.plan.reference import ReferenceExpectations

    plan = build_plan(ReferenceExpectations(course / "solutions"),
                      load_course_data(course / "release" / "backprop"), seed=HIDDEN_SEED)
    numbers = []
    for case, expected in plan.ex1_cases:
        numbers += [v for value in case.inputs.values() for v in np.ravel(value)]
        numbers += [v for value in expected for v in np.ravel(value)]
    for case, expected, _, _ in plan.ex2_cases:
        numbers += list(np.ravel(case.features)[:20])
        numbers += [v for value in expected for v in np.ravel(value)]
    numbers += list(np.ravel(plan.ex2_final[0])) + list(np.ravel(plan.ex2_first[0]))
    texts = {repr(float(v)) for v in numbers} | {f"{float(v):.8f}" for v in numbers}
    texts = {t for t in texts if len(t.strip("-0.")) >= 6}
    reference = (course / "solutions" / "reference.py").read_text()
    texts |= {line.strip() for line in reference.splitlines()
              if "error_term" in line and "=" in line}
    return texts


def test_nothing_secret_reaches_the_feedback_or_the_graded_notebooks(graded):
    course, _, _ = graded
    nbgrader(["generate_feedback", "backprop", "--force"], course=course)
    secrets = _secret_strings(course)
    assert len(secrets) > 100
    files = list((course / "feedback").rglob("*.html"))
    assert len(files) == 11
    for path in files:
        text = path.read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path}: {leaked[:5]}"


def test_feedback_shows_score_message_hint_and_the_loss_plot(graded):
    course, _, _ = graded
    nbgrader(["generate_feedback", "backprop", "--force", "--student", "no_averaging"],
             course=course)
    html = (course / "feedback/no_averaging/backprop/backprop.html").read_text(encoding="utf-8")
    assert "Example 2, both weight updates: 1/n_records left out" in html  # its one name
    assert "Hint:" in html and "n_records" in html
    assert "data:image/png;base64," in html


def test_class_report(graded, tmp_path):
    from autograder.reports.class_report import write_report

    course, grades, _ = graded
    late = course / "submitted" / "late_student" / "backprop"
    late.mkdir(parents=True)
    (late / "backprop.ipynb").write_text("{}")
    try:
        out = write_report(course=course, out_dir=tmp_path / "report")
    finally:
        import shutil

        shutil.rmtree(late.parent)
    for name in ("report.html", "items.csv", "scores_histogram.png", "item_success.png",
                 "mistakes.png"):
        assert (out / name).stat().st_size > 200, name
        if name.endswith(".png"):
            assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(out / "items.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12 * 12  # 11 graded students and one that failed, 12 items each
    averaging = [r for r in rows if r["student"] == "no_averaging" and r["diagnosis"]]
    assert {r["diagnosis"] for r in averaging} == {"ex2.updates.drop:inv_n"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Example 2, both weight updates: 1/n_records left out" in html and "no_averaging" in html
    assert "late_student" in html and "no grades in the gradebook" in html
    assert html.count("data:image/png;base64,") == 3
