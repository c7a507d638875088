"""Text from a submission: lone surrogates are replaced wherever strings enter."""

import json

from autograder.core.text import REPLACEMENT, may_hold_surrogates, safe_json, safe_text


def test_a_lone_surrogate_is_replaced_and_valid_text_kept():
    assert safe_text("a\ud800b\udfffc") == f"a{REPLACEMENT}b{REPLACEMENT}c"
    assert safe_text("grün 😀") == "grün 😀"
    safe_text("x\udc80").encode("utf-8")  # writable


def test_decoded_json_is_made_safe_keys_and_all():
    text = json.dumps({"k\ud800": ["\udc00", {"deep": "\ud83d"}, 1.5, None]})
    assert may_hold_surrogates(text) and may_hold_surrogates(text.encode())
    clean = safe_json(json.loads(text))
    assert clean == {f"k{REPLACEMENT}": [REPLACEMENT, {"deep": REPLACEMENT}, 1.5, None]}
    json.dumps(clean, ensure_ascii=False).encode("utf-8")


def test_valid_pairs_and_plain_text_need_no_walk():
    assert not may_hold_surrogates(json.dumps({"a": "plain"}))
    assert not may_hold_surrogates(json.dumps({"a": "😀"}, ensure_ascii=False))


def test_deep_nesting_does_not_exhaust_the_stack():
    deep = value = []
    for _ in range(100_000):
        value.append([])
        value = value[0]
    value.append("\ud800")
    clean = safe_json(deep)
    for _ in range(100_000):
        clean = clean[0]
    assert clean == [REPLACEMENT]
