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


def test_an_integer_too_large_for_a_float_is_a_reason_not_a_crash():
    raw = json.loads('{"kind": "array", "shape": [2], "data": [1, 1' + "0" * 400 + "]}")
    value = harvest.decode_entry(raw)
    assert isinstance(value, Unavailable) and "too large for a float" in value.reason


def test_messages_lose_their_lone_surrogates():
    value = harvest.decode_entry(json.loads('{"kind": "error", "message": "E: \\ud800"}'))
    assert value.reason == "raised E: \ufffd"
