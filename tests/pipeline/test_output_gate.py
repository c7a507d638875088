"""What a kernel's messages may change in the saved notebook (OutputGate, in GuardedExecute).

Real sandboxed kernels: a display updated from inside the student's function
while the harvest calls it on hidden inputs, a display flood, comm floods and
malformed comms, a large error; then the costing helpers on their own. Every
message here is below the client's size limit (a larger one is refused before
it is read: tests/sandbox/test_kernel_client.py), so it reaches the gate.
"""

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest

from autograder.pipeline.guarded_execute import GuardedExecute
from autograder.pipeline.output_gate import json_size, output_cost, well_formed
from autograder.plan.course_data import load_course_data
from autograder.plan.plan import inputs_only_plan
from autograder.sandbox.probe import describe_sandbox, sandbox_available
from tests.support import RELEASE_DIR, REPO

needs_bwrap = pytest.mark.skipif(not sandbox_available(), reason=describe_sandbox())
MiB = 2**20

LEAK = '''
from IPython.display import display, update_display
tag = "HIDDEN" + "-INPUT"
display({"text/plain": "VISIBLE-DISPLAY"}, raw=True, display_id="shown")

def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    update_display({"text/plain": tag + repr(list(x))}, raw=True, display_id="shown")
    display({"text/plain": tag + " again"}, raw=True, display_id="shown")
    print(tag, "printed")
    raise ValueError("not implemented")

def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    update_display({"text/plain": tag + repr(features.values.tolist())}, raw=True,
                   display_id="shown")
    raise ValueError("not implemented")
'''

COMMS = '''
import comm
for index in range(8):  # messages below the client's size limit: received, then ignored
    channel = comm.create_comm(target_name="jupyter.widget",
                               data={"state": {"_model_name": "OutputModel",
                                               "blob": "w" * (4 * 2**20)}})
    channel.send({"method": "update", "state": {"blob": "v" * (4 * 2**20)}})
    channel.close()
kernel = get_ipython().kernel
for content in ({"comm_id": "x"}, {"comm_id": "y", "data": "not a dict"},
                {"data": {"state": []}}, {"comm_id": "z", "data": {"buffer_paths": 5}}):
    kernel.session.send(kernel.iopub_socket, "comm_msg", content=content,
                        parent=kernel.get_parent())
kernel.session.send(kernel.iopub_socket, "stream", content={"name": "evil", "text": "EVIL"},
                    parent=kernel.get_parent())
from IPython.display import display
display({"text/plain": "shown"}, raw=True, display_id="odd")
for content in ({"data": {"text/plain": "no metadata"}, "transient": {"display_id": "odd"}},
                {"data": "not a bundle", "metadata": {}, "transient": {"display_id": "odd"}},
                {"data": {}, "metadata": {}, "transient": "not an object"},
                {"data": {}, "metadata": {}, "transient": {"display_id": ["not", "text"]}}):
    kernel.session.send(kernel.iopub_socket, "update_display_data", content=content,
                        parent=kernel.get_parent())
kernel.session.send(kernel.iopub_socket, "execute_input",
                    content={"code": "", "execution_count": "E" * 1000},
                    parent=kernel.get_parent())
print("COMMS-SENT")
'''

FLOOD = '''
from IPython.display import display, update_display
for index in range(10):
    display({"text/plain": "small"}, raw=True, display_id="many")
update_display({"text/plain": "U" * (4 * 2**20)}, raw=True, display_id="many")
print("FLOOD-DONE")
'''

HUGE_ERROR = 'raise RuntimeError("E" * (4 * 2**20))'


def run(*sources, **traits):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(source)) for source in sources]
    spec = inputs_only_plan(load_course_data(RELEASE_DIR), seed=5).harvest_spec()
    executor = GuardedExecute(harvest_spec=spec, timeout=60, **traits)
    executor.kernel_manager_class.public_dir = ""
    resources = {"metadata": {"path": str(RELEASE_DIR)}}
    nb, resources = executor.preprocess(nb, resources)
    return nb, executor


def texts(cell) -> list:
    return [out.get("text") or out.get("data", {}).get("text/plain") for out in cell.outputs]


@needs_bwrap
def test_nothing_the_harvest_displays_reaches_a_cell():
    nb, _ = run(LEAK)
    saved = nbformat.writes(nb)
    assert "VISIBLE-DISPLAY" in saved
    assert "HIDDEN-INPUT" not in saved
    assert texts(nb.cells[0]) == ["VISIBLE-DISPLAY"]


@needs_bwrap
def test_comms_are_ignored_and_never_raise():
    nb, executor = run(COMMS, 'print("AFTER")')
    assert executor.widget_state == {} and executor.comm_objects == {}
    assert "widgets" not in nb.metadata
    assert texts(nb.cells[0]) == ["shown", "COMMS-SENT\n"]
    assert texts(nb.cells[1]) == ["AFTER\n"]
    assert nb.cells[0].execution_count is None or isinstance(nb.cells[0].execution_count, int)
    nbformat.validate(nb)


@needs_bwrap
def test_display_updates_and_errors_count_against_the_cap():
    nb, _ = run(FLOOD, HUGE_ERROR, 'print("LAST")')
    saved = nbformat.writes(nb)
    assert len(saved) < 3 * MiB
    assert "output cut" in json.dumps(nb.cells[0].outputs)
    assert any(out.get("output_type") == "error" for out in nb.cells[1].outputs)
    nbformat.validate(nb)


@needs_bwrap
def test_a_message_past_the_size_limit_is_refused_and_costs_its_cell_only():
    """200 MB printed at once arrive as one message: zmq refuses it unread (and IOPub
    with it), the cell is skipped on a fresh run, the rest runs, the grader stays small."""
    program = textwrap.dedent("""
        from tests.pipeline.test_output_gate import run
        nb, _ = run('for _ in range(200):\\n    print("F" * (2**20 - 1))', 'print("AFTER")')
        peak = [line.split()[1] for line in open("/proc/self/status")
                if line.startswith("VmHWM:")][0]
        print(int(peak) * 1024)
        print(json.dumps(nb.cells[0].outputs))
        print(json.dumps(nb.cells[1].outputs))
    """).replace("from tests", "import json\nfrom tests", 1)
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         timeout=600, check=True, cwd=REPO).stdout.splitlines()
    peak, first, second = int(out[-3]), json.loads(out[-2]), json.loads(out[-1])
    assert peak < 400 * MiB, f"the grader peaked at {peak / MiB:.0f} MiB"
    assert first[0]["ename"] == "OutputLost" and "did not arrive in full" in first[0]["evalue"]
    assert second[0]["text"] == "AFTER\n"


def test_costs_are_bounded_by_the_limit():
    huge = {"data": {"text/plain": "x" * (50 * MiB)}}
    assert output_cost(huge) > 50 * MiB
    assert json_size(["a" * 10] * 1000) > 12_000
    assert json_size(["a" * 10] * 1000, limit=100) < 2_000  # counting stops early
    assert json_size({"a": [1, 2.5, None, True]}) > 0
    assert output_cost({}) > 0  # an empty output still costs its keys


def test_malformed_outputs_are_recognised():
    assert well_formed("stream", {"name": "stdout", "text": "x"})
    assert not well_formed("stream", {"name": "evil", "text": "x"})
    assert not well_formed("stream", {"name": "stdout", "text": ["x"]})
    assert well_formed("error", {"ename": "E", "evalue": "v", "traceback": ["t"]})
    assert not well_formed("error", {"ename": "E", "evalue": "v", "traceback": "t"})
    assert well_formed("display_data", {"data": {"text/plain": "x"}, "metadata": {}})
    assert not well_formed("display_data", {"data": ["x"]})
    assert not well_formed("display_data", {"data": {"text/plain": "x"}})  # no metadata
