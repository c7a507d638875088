"""The notebook's checks: where they run in full, where they stand aside, where they warn;
and the slips they name, like the grader's, from public information only (the article's
inputs, the model, and networks and data sets they draw themselves)."""

import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pandas as pd
import pytest

from autograder.core.course import EX1_INPUTS, EX1_QUANTITIES, EX2_LEARNRATE
from autograder.core.diagnosis.evaluation import network, step_values
from autograder.core.diagnosis.model import slope
from autograder.student import selfcheck
from autograder.workspace.folder import make_course, nbgrader


def test_importing_it_imports_nothing_that_answers():
    program = ("import sys; from autograder.student import selfcheck; "
               "print(sorted(m for m in sys.modules if m.startswith('autograder')))")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == str(["autograder", "autograder.constants", "autograder.i18n",
                               "autograder.plot_fonts", "autograder.student",
                               "autograder.student.loss_plot",
                               "autograder.student.notebook_calls",
                               "autograder.student.notebook_language",
                               "autograder.student.selfcheck", "autograder.student.trainings"])


def test_it_checks_in_the_students_own_kernel(monkeypatch, capsys):
    monkeypatch.delenv("BACKPROP_GRADING", raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # nbgrader's Validate button
    selfcheck.ex1_quantity("error", 0.11502656915007464)
    assert "[PASS]" in capsys.readouterr().out


def test_it_stands_aside_in_the_graders_sandbox(monkeypatch, capsys):
    monkeypatch.setenv("BACKPROP_GRADING", "1")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert selfcheck.ex2_other_data(None) is None
    out = capsys.readouterr()
    assert out.out == "This item is graded by the course grader, outside your notebook.\n"
    assert out.err == ""


@pytest.mark.parametrize("grading", ["", "1"])
def test_it_warns_and_scores_nothing_in_an_autograde_outside_the_sandbox(
        monkeypatch, capsys, grading):
    """nbgrader sets NBGRADER_EXECUTION in its own process, which only a kernel that
    it starts itself (no sandbox) inherits; stderr makes nbgrader score the cell 0."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("BACKPROP_GRADING", grading)
    assert selfcheck.ex1_quantity("error", 0.11502656915007464) is None
    out = capsys.readouterr()
    assert out.out == "" and out.err == selfcheck.UNPROTECTED + "\n"


@pytest.mark.slow
def test_nbgraders_api_with_a_bare_config_scores_zero_with_the_warning(tmp_path):
    """The pattern of nbgrader's API documentation: the course config is never loaded."""
    course = make_course(tmp_path / "course")
    nbgrader(["generate_assignment", "backprop", "--force"], course=course)
    from autograder.demo import samples

    release = nbformat.read(str(course / "release/backprop/backprop.ipynb"), 4)
    source = nbformat.read(str(course / "source/backprop/backprop.ipynb"), 4)
    folder = course / "submitted" / "honest" / "backprop"
    folder.mkdir(parents=True)
    nbformat.write(samples.solved(release, source), str(folder / "backprop.ipynb"))
    program = textwrap.dedent(f"""
        from nbgrader.apps import NbGraderAPI
        from traitlets.config import Config
        config = Config()
        config.CourseDirectory.root = {str(course)!r}
        config.CourseDirectory.course_id = "backprop-course"
        result = NbGraderAPI(config=config).autograde("backprop", "honest")
        print("SUCCESS", result["success"])
    """)
    out = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True,
                         text=True, timeout=900)
    assert "SUCCESS True" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    graded = nbformat.read(str(course / "autograded/honest/backprop/backprop.ipynb"), 4)
    check_cells = [cell for cell in graded.cells
                   if cell.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert len(check_cells) == 12
    for cell in check_cells:
        errors = [out.get("text", "") for out in cell.outputs
                  if out.get("output_type") == "stream" and out.get("name") == "stderr"]
        assert errors == [selfcheck.UNPROTECTED + "\n"], cell.source
    from autograder.workspace.folder import read_grades

    assert set(read_grades(course)["honest"].values()) == {0.0}


def slipped_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    """backprop_step with f′ taken at the output instead of its input."""
    ns = step_values(network(x, target, learnrate, weights_input_hidden, weights_hidden_output))
    output_error_term = ns["error"] * slope(ns["y_hat"])
    hidden_error = output_error_term * ns["W2"]
    hidden_error_term = hidden_error * ns["a"] * (1 - ns["a"])
    return (ns["error"], output_error_term, hidden_error, hidden_error_term,
            learnrate * output_error_term * ns["a"],
            learnrate * hidden_error_term * ns["x"][:, None])


@pytest.fixture
def notebook(monkeypatch):
    """The notebook's namespace: what the check cells find in ``__main__``."""
    space = sys.modules["__main__"].__dict__
    values = dict(zip(EX1_QUANTITIES, slipped_step(**EX1_INPUTS)))
    for name, value in dict(values, backprop_step=slipped_step).items():
        monkeypatch.setitem(space, name, value)
    return values


def test_a_quantity_is_named_and_the_later_ones_earn_method_marks(notebook, capsys):
    selfcheck.ex1_quantity("output_error_term", notebook["output_error_term"])
    out = capsys.readouterr().out
    assert "diagnosis: Example 1, output error term δᵒ: f′(ŷ) in place of f′(hₒ)" in out
    assert "uses the sigmoid's slope taken at the output, f′(ŷ)" in out
    selfcheck.ex1_quantity("hidden_error", notebook["hidden_error"])
    assert "error carried forward" in capsys.readouterr().out


def test_other_networks_name_the_same_slip(notebook, capsys):
    selfcheck.ex1_other_inputs(slipped_step, seed=3)
    assert "diagnosis: Example 1, output error term δᵒ: f′(ŷ) in place of f′(hₒ)" in \
        capsys.readouterr().out


def test_zeros_earn_no_method_marks_in_the_notebook_either(monkeypatch, capsys):
    def zeros(x, target, learnrate, weights_input_hidden, weights_hidden_output):
        hidden = np.zeros(np.shape(weights_hidden_output))
        return 0.0, 0.0, hidden, hidden, hidden, np.zeros(np.shape(weights_input_hidden))
    space = sys.modules["__main__"].__dict__
    for name, value in dict(zip(EX1_QUANTITIES, zeros(**EX1_INPUTS)), backprop_step=zeros).items():
        monkeypatch.setitem(space, name, value)
    selfcheck.ex1_quantity("hidden_error", space["hidden_error"])
    out = capsys.readouterr().out
    assert "[FAIL]" in out and "carried forward" not in out


def no_learnrate_training(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    """train_nn with the learning rate left out of both updates, vectorised."""
    np.random.seed(seed)
    x, y = np.asarray(features, float), np.asarray(targets, float)
    w1 = np.random.normal(scale=1 / x.shape[1] ** .5, size=(x.shape[1], n_hidden))
    w2 = np.random.normal(scale=1 / x.shape[1] ** .5, size=n_hidden)
    losses = []
    for _ in range(epochs):
        a = 1 / (1 + np.exp(-(x @ w1)))
        out = 1 / (1 + np.exp(-(a @ w2)))
        d_o = (y - out) * out * (1 - out)
        d_h = np.outer(d_o, w2) * a * (1 - a)
        w1 = w1 + x.T @ d_h / len(x)
        w2 = w2 + a.T @ d_o / len(x)
        a = 1 / (1 + np.exp(-(x @ w1)))
        losses.append(float(np.mean((1 / (1 + np.exp(-(a @ w2))) - y) ** 2)))
    return w1, w2, np.array(losses)


def test_a_training_slip_is_named_on_the_first_epoch_and_on_other_data(capsys):
    rng = np.random.default_rng(0)
    features = pd.DataFrame(rng.normal(size=(40, 6)))
    targets = pd.Series((rng.uniform(size=40) < 0.4).astype(float))
    selfcheck.ex2_first_epoch(no_learnrate_training, features, targets)
    selfcheck.ex2_other_data(no_learnrate_training, seed=1)
    out = capsys.readouterr().out
    assert out.count("diagnosis: Example 2, both weight updates: η left out") == 2, out
    w1, w2, losses = no_learnrate_training(features, targets, 900, EX2_LEARNRATE)
    selfcheck.ex2_final_weights(w1, w2, features, targets)
    selfcheck.ex2_loss(losses, features, targets)
    assert capsys.readouterr().out.count("both weight updates: η left out") == 2
