"""Results as records: the status enum, and a graded submission that survives JSON."""

import json

import pytest

from autograder.core.results import GradedSubmission, ItemResult, Status


def test_statuses_read_back_from_their_json_values():
    for status in Status:
        assert Status.parse(status.value) is status
        assert str(status) == status.value
    assert Status.parse("made up") is Status.ERROR
    assert ItemResult("a", 1, 1, "carried forward", "m").status is Status.CARRIED_FORWARD


def test_a_graded_submission_survives_json():
    graded = GradedSubmission([ItemResult("a", 1, 2, Status.PARTIAL, "half", "hint", "sign_error"),
                               ItemResult("b", 3, 3, Status.CORRECT, "ok")],
                              notebook="backprop", events=["Cell 4 timed out."])
    again = GradedSubmission.from_json(json.loads(json.dumps(graded.to_json())))
    assert again == graded
    assert again.to_json()["items"][0]["status"] == "partial"
    assert again.score == 4 and again.max_score == 5 and not again.passed
    assert set(again.by_id()) == {"a", "b"}


@pytest.mark.parametrize("data", [{"items": [{"score": 1}]}, {"items": "nope"}, {"items": [3]}])
def test_anything_else_is_refused(data):
    with pytest.raises(ValueError, match="not a graded submission"):
        GradedSubmission.from_json(data)


def test_messages_are_always_writable_text():
    result = ItemResult("a", 0, 1, Status.ERROR, "raised ValueError: \ud800", "hint \udc80")
    result.message += " (and \udfff)"
    result.diagnosis = "odd\ud800"
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
    assert "\ufffd" in result.message and result.hint == "hint \ufffd"
