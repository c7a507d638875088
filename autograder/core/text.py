"""Text that came from a submission, made safe to store and to show.

JSON can carry a lone surrogate (``"\\ud800"``): a Python string holds it,
but it cannot be encoded as UTF-8, so writing it into a notebook, a results
file, a page or a kernel message raises ``UnicodeEncodeError`` and fails
the submission's grading. Every string a submission hands the grader (its
notebook file, its kernel's messages, its harvested results) passes through
:func:`safe_json` where it enters, and every message the grader writes
through :func:`safe_text` (in :class:`~autograder.core.results.ItemResult`).
"""

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
#: A JSON escape that can decode to a surrogate (``\\ud800`` ... ``\\udfff``).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
REPLACEMENT = "\ufffd"


def safe_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(REPLACEMENT, text)
    return text


def may_hold_surrogates(json_text) -> bool:
    """Whether JSON text (``str`` or ``bytes``) has an escape that decodes to a
    surrogate: without one, its decoded strings are all valid (a cheap test)."""
    if isinstance(json_text, (bytes, bytearray, memoryview)):
        return re.search(_SURROGATE_ESCAPE.pattern.encode(), bytes(json_text)) is not None
    return _SURROGATE_ESCAPE.search(json_text) is not None


def safe_json(value):
    """A copy of decoded JSON ``value`` whose strings (keys too) are :func:`safe_text`.

    Iterative, so that a deeply nested value cannot exhaust the stack."""
    def clean(item):
        if isinstance(item, str):
            return safe_text(item)
        if isinstance(item, dict):
            copy = {}
            todo.append((item, copy))
            return copy
        if isinstance(item, list):
            copy = []
            todo.append((item, copy))
            return copy
        return item

    todo = []
    root = clean(value)
    while todo:
        source, target = todo.pop()
        if isinstance(source, dict):
            for key, item in source.items():
                target[safe_text(key) if isinstance(key, str) else key] = clean(item)
        else:
            target.extend(clean(item) for item in source)
    return root
