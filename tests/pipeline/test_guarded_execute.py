"""GuardedExecute's settings, and where it makes Example 2's full training (the rest of
its behaviour is exercised by the autograde and hostile tests)."""

import nbformat
import pytest
from traitlets.config import Config

from autograder.pipeline.guarded_execute import GuardedExecute


def test_the_kernel_is_killed_once_harvested_unless_configured_otherwise():
    assert GuardedExecute().shutdown_kernel == "immediate"  # no 0.4 s polite shutdown
    polite = Config({"GuardedExecute": {"shutdown_kernel": "graceful"}})
    assert GuardedExecute(config=polite).shutdown_kernel == "graceful"


# -- Example 2's full training: the grader's own, made once, by the training cell ------------
COUNTING = '''

_student_train_nn = train_nn
_full_trainings = []


def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    if epochs == 900:
        _full_trainings.append(epochs)
        if len(_full_trainings) > 1:  # a second full training: end the kernel, visibly
            os._exit(3)
    return _student_train_nn(features, targets, epochs, learnrate, n_hidden, seed)
'''
SHORTENED = "epochs = 3\nfeatures, targets = features.iloc[:10], targets[:10]\n"


@pytest.mark.slow
def test_example_2_is_judged_on_the_graders_own_training_made_only_once(release_nb, source_nb):
    """The notebook shortens its own training (3 epochs on 10 records) before the
    locked training cell: the grader's call still trains on the plan's inputs,
    and the training runs once per submission (a second one would end the kernel)."""
    from autograder.demo import samples
    from autograder.grading.check import grade_notebook
    from autograder.plan.course_data import load_course_data
    from autograder.plan.plan import build_plan
    from autograder.plan.reference import ReferenceExpectations
    from tests.support import RELEASE_DIR, SOLUTIONS_DIR

    nb = samples.solved(release_nb, source_nb)
    answer = next(c for c in nb.cells if samples.grade_id(c) == samples.EX2_CELL)
    answer.source = "import os\n" + answer.source + COUNTING
    index = next(i for i, c in enumerate(nb.cells) if samples.grade_id(c) == "ex2_run")
    nb.cells.insert(index, nbformat.v4.new_code_cell(SHORTENED))
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), load_course_data(RELEASE_DIR), seed=4)
    graded, execution = grade_notebook(nb, plan=plan, public_dir=RELEASE_DIR)
    assert execution.values().complete and not execution.events, execution.events
    assert graded.passed, [r.summary() for r in graded.items if not r.passed]


# -- text a kernel cannot encode -------------------------------------------------------------
SURROGATES = '''
print("PRINTED \\ud800 TEXT")
raise ValueError("RAISED \\udc80 HERE")
'''


def test_a_lone_surrogate_in_output_or_an_error_still_arrives():
    """ipykernel encodes its messages as UTF-8 and raised on a lone surrogate: the error
    never arrived ("showtraceback was disabled"). The kernel sends it escaped instead,
    and the grader's channels replace the surrogate by U+FFFD."""
    from tests.pipeline.test_output_gate import needs_bwrap, run

    if needs_bwrap.args[0]:
        pytest.skip(needs_bwrap.kwargs["reason"])
    nb, _ = run(SURROGATES, 'print("AFTER")')
    first = nb.cells[0].outputs
    assert [out.get("text") for out in first if out.output_type == "stream"] == [
        "PRINTED \ufffd TEXT\n"]
    errors = [out for out in first if out.output_type == "error"]
    assert [(out.ename, out.evalue) for out in errors] == [("ValueError", "RAISED \ufffd HERE")]
    assert nb.cells[1].outputs[0]["text"] == "AFTER\n"
    nbformat.writes(nb).encode("utf-8")


def test_the_tail_of_a_cells_output_is_waited_for_longer_than_nbclients_default():
    """nbclient waits 4 s after a cell's reply for the rest of its IOPub messages and then
    drops them: on a loaded grader a long output lost its tail (seen with the
    malformed_kernel_messages case on two busy cores). The grader waits longer, and the
    wait is the one nbclient's reply loop reads."""
    from nbclient import NotebookClient

    from autograder.pipeline.guarded_execute import GuardedExecute

    nbclient_default = NotebookClient.class_traits()["iopub_timeout"].default_value
    assert nbclient_default < GuardedExecute().iopub_timeout == 15
    assert GuardedExecute.class_traits()["iopub_timeout"].metadata.get("config")


# -- a flood of IOPub messages while the grader is slow to read -------------------------------
FLOOD = '''
k = get_ipython().kernel
for i in range(6000):
    k.session.send(k.iopub_socket, "flood_tick", content={"i": i}, parent=k.get_parent())
print("END-OF-FLOOD")
'''


def test_a_cells_end_survives_a_message_flood_while_the_grader_is_slow(monkeypatch):
    """IOPub is a publish socket: what does not fit the queues is dropped by the kernel,
    the status that ends the cell among it. The grader stalls for 3 s on the flood's first
    message (as on a loaded machine, where its Python thread gets little CPU) while the
    kernel sends 6,000 messages; the cell still ends, with its print, and is not run
    again. With zmq's default queue of 1,000 messages the print and the end were lost."""
    import time

    from autograder.sandbox import kernel_messages
    from tests.pipeline.test_output_gate import needs_bwrap, run

    if needs_bwrap.args[0]:
        pytest.skip(needs_bwrap.kwargs["reason"])
    real_decode, stalled = kernel_messages.decode, []

    def slow_decode(session, parts, check):
        if not stalled and b"flood_tick" in b"".join(bytes(part) for part in parts):
            stalled.append(True)
            time.sleep(3)
        return real_decode(session, parts, check)

    monkeypatch.setattr(kernel_messages, "decode", slow_decode)
    nb, _ = run(FLOOD, 'print("AFTER")')
    assert stalled
    assert [out.get("text") for out in nb.cells[0].outputs] == ["END-OF-FLOOD\n"]
    assert nb.cells[1].outputs[0]["text"] == "AFTER\n"  # one run: no skip note above
