"""The record an execution hands to the verdict step, within a process and across one."""

import json

from autograder.plan.execution import Execution


def test_an_execution_survives_json_and_decodes_its_values():
    execution = Execution(payload={"ex1.error": {"kind": "array", "shape": [], "data": [0.5]},
                                   "done": {"kind": "none"}},
                          events=["Cell 3 crashed the kernel."], skipped={3: "crashed"},
                          seconds=1.25, notebook='{"cells": []}')
    again = Execution.from_json(json.loads(json.dumps(execution.to_json())))
    assert again == execution
    assert again.values().complete and float(again.values().value("ex1.error")) == 0.5


def test_a_malformed_record_reads_as_not_run_with_a_reason():
    for data in ({"payload": [1, 2]}, {"skipped": [["x", "y"]]}, {"seconds": "soon"}):
        execution = Execution.from_json(data)
        assert execution.payload == {} and "could not be read back" in execution.problem
        assert execution.values().value("ex1.error").reason == execution.problem


def test_it_travels_in_resources_under_one_key():
    resources = {}
    assert Execution.stored(resources) is None
    execution = Execution.not_run("was never run")
    execution.store(resources)
    assert Execution.stored(resources) is execution
