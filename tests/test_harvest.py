"""The narrow channel: what a kernel may hand over, and what the grader accepts."""

import json
import os

import numpy as np
import pytest

from autograder import harvest
from autograder.values import Unavailable


def test_decode_accepts_only_well_formed_arrays():
    good = {"kind": "array", "shape": [2], "data": [1.0, 2.5]}
    assert np.array_equal(harvest.decode_entry(good), [1.0, 2.5])
    for bad in ({"kind": "array", "shape": [3], "data": [1.0]},
                {"kind": "array", "shape": [1], "data": ["1"]},
                {"kind": "array", "shape": [1], "data": [True]},
                {"kind": "array", "shape": [-1], "data": []},
                {"kind": "pickle", "data": "gASV"},
                ["not", "a", "dict"]):
        assert isinstance(harvest.decode_entry(bad), Unavailable), bad
    assert harvest.decode_entry({"kind": "none"}) is None


def test_oversized_payload_is_refused(tmp_path):
    path = tmp_path / harvest.PAYLOAD_NAME
    path.write_text(json.dumps({"x": "a" * (harvest.MAX_PAYLOAD_BYTES + 10)}))
    payload = harvest.read_payload(path)
    assert "larger" in payload.problem
    assert isinstance(payload.value("ex1.error"), Unavailable)


def test_links_are_not_followed(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"ex1.error": {"kind": "array", "shape": [], "data": [1.0]}}))
    os.symlink(secret, tmp_path / harvest.PAYLOAD_NAME)
    payload = harvest.read_payload(tmp_path / harvest.PAYLOAD_NAME)
    assert payload.problem and isinstance(payload.value("ex1.error"), Unavailable)


def test_not_json_is_refused(tmp_path):
    path = tmp_path / harvest.PAYLOAD_NAME
    path.write_bytes(b"\x80\x04\x95 pickle bytes")
    assert "not valid JSON" in harvest.read_payload(path).problem


def test_kernel_code_runs_and_hands_over_values(tmp_path, course_data, reference):
    """The harvest code itself, run in this process on a namespace with the reference."""
    from autograder.plan import build_plan
    from autograder.expectations import ReferenceExpectations
    from conftest import SOLUTIONS_DIR

    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), course_data, seed=3)
    spec = plan.harvest_spec()
    text = json.dumps(spec)
    # nothing expected is in the spec: no reference result appears in it
    for expected in plan.ex1_article:
        assert repr(float(np.ravel(expected)[0])) not in text
    space = {"backprop_step": reference.backprop_step, "train_nn": reference.train_nn}
    space.update(zip(["error", "output_error_term", "hidden_error", "hidden_error_term",
                      "delta_w_h_o", "delta_w_i_h"], plan.ex1_article))
    space.update(zip(["weights_input_hidden", "weights_hidden_output", "losses"], plan.ex2_final))
    path = tmp_path / harvest.PAYLOAD_NAME
    exec(harvest.kernel_code(spec, str(path)), space)
    assert "_backprop_harvest" not in space
    payload = harvest.read_payload(path)
    assert payload.complete
    from autograder import verdicts

    assert all(r.passed for r in verdicts.grade(payload, plan))
