"""What the grader accepts back from a kernel: arrays only, bounded, never through links."""

import json
import os

import numpy as np

from autograder.constants import PAYLOAD_FILE
from autograder.core.values import Unavailable
from autograder.plan import payload as harvest


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
    path = tmp_path / PAYLOAD_FILE
    path.write_text(json.dumps({"x": "a" * (harvest.MAX_PAYLOAD_BYTES + 10)}))
    payload = harvest.read_payload(path)
    assert "larger" in payload.problem
    assert isinstance(payload.value("ex1.error"), Unavailable)


def test_links_are_not_followed(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"ex1.error": {"kind": "array", "shape": [], "data": [1.0]}}))
    os.symlink(secret, tmp_path / PAYLOAD_FILE)
    payload = harvest.read_payload(tmp_path / PAYLOAD_FILE)
    assert payload.problem and isinstance(payload.value("ex1.error"), Unavailable)


def test_not_json_is_refused(tmp_path):
    path = tmp_path / PAYLOAD_FILE
    path.write_bytes(b"\x80\x04\x95 pickle bytes")
    assert "not valid JSON" in harvest.read_payload(path).problem


def test_what_the_student_says_on_hidden_inputs_is_not_passed_on():
    """An exception's message, a type's name or a count, chosen by the student's code
    while it runs on the hidden inputs, could spell them out in the feedback."""
    leak = "x=[0.1234, -0.5678, 0.9012, 0.3456] target=0.42 learnrate=0.17"
    raw = {"ex1_case0": {"kind": "error", "message": f"ValueError: {leak}"},
           "ex1_case1": {"kind": "error", "message": f"Leak_0_1234: {leak}"},
           "ex1_case2": {"kind": "error", "message": "ValueError: operands could not be "
                                                     "broadcast together with shapes (1234,) (5678,)"},
           "ex2_case0": {"kind": "invalid",
                         "message": "returned 12345 values instead of 3 values"},
           "ex2_case1.losses": {"kind": "invalid", "message": "is a Leak_0_42, not numbers"},
           "ex2_first": {"kind": "error", "message": "ZeroDivisionError: division by zero"}}
    payload = harvest.Payload(raw)
    reasons = [payload.values(f"ex1_case{i}", ["error"]).reason for i in range(3)]
    reasons += [payload.values("ex2_case0", ["losses"]).reason,
                payload.value("ex2_case1.losses").reason]
    for reason in reasons:
        assert not any(text in reason for text in ("1234", "5678", "0.42", "Leak", "12345"))
    assert reasons[0].startswith("raised ValueError (its message is not shown")
    assert reasons[1].startswith("raised an exception (")
    assert "could not be broadcast" in reasons[2]
    # the shapes are kept aside for the mistake finder (it names x_not_column by them),
    # never in what is shown
    assert payload.values("ex1_case2", ["error"]).shapes == ((1234,), (5678,))
    assert payload.values("ex1_case0", ["error"]).shapes is None
    assert reasons[3] == "returned something else instead of 3 values"
    honest = {"kind": "invalid", "message": "returned 5 values instead of 6 values"}
    assert harvest.decode_entry(honest, hidden=True).reason == honest["message"]
    honest["message"] = "returned a NoneType instead of 6 values"
    assert harvest.decode_entry(honest, hidden=True).reason == honest["message"]
    assert reasons[4] == "returned something that is not numbers"
    # the course's own inputs are public: what happened there is shown in full
    assert payload.values("ex2_first", ["losses"]).reason == \
        "raised ZeroDivisionError: division by zero"


def test_an_integer_too_large_for_a_float_is_a_reason_not_a_crash():
    raw = json.loads('{"kind": "array", "shape": [2], "data": [1, 1' + "0" * 400 + "]}")
    value = harvest.decode_entry(raw)
    assert isinstance(value, Unavailable) and "too large for a float" in value.reason


def test_messages_lose_their_lone_surrogates():
    value = harvest.decode_entry(json.loads('{"kind": "error", "message": "E: \\ud800"}'))
    assert value.reason == "raised E: \ufffd"
