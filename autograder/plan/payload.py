"""The grader's side of the harvest: read back what the student's kernel handed over.

The harvest (:mod:`autograder.student.harvest`) writes one JSON file into the
sandbox's exchange folder. Nothing in it is trusted: it is read size-capped,
as JSON only (never pickle), every entry validated, and anything malformed
turned into an :class:`~autograder.core.values.Unavailable` with a reason. A
submission can therefore forge only its own answers.
"""

import builtins
import json
import math
import re

import numpy as np

from ..constants import MAX_DIMS, MAX_VALUE_SIZE, PAYLOAD_FILE
from ..core.diagnosis.evaluation import raised_shapes
from ..core.text import safe_text
from ..core.values import Unavailable
from ..safe_files import FileRefused, read_regular_file

#: The largest payload accepted; an honest one is about 60 kB.
MAX_PAYLOAD_BYTES = 4 * 2**20
#: The entries of the grader's calls on its hidden inputs. What the student's code
#: says there (an exception's message, the name of a type, a count) is not passed on:
#: written into the feedback, it could carry the hidden inputs out.
HIDDEN_CALLS = ("ex1_case", "ex2_case")
_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                        if isinstance(value, type) and issubclass(value, BaseException))
_COUNTED = re.compile(r"returned (.{1,80}) instead of (\d{1,2} values)")
#: What an honest mistake returns instead of a tuple (a student's own class could be
#: named after the hidden inputs).
_PLAIN_TYPES = {f"a {name}" for name in ("NoneType", "float", "int", "ndarray", "list",
                                          "dict", "str", "float64", "DataFrame", "Series")}
_NOT_SHOWN = ("its message is not shown for the grader's own inputs; the self-check in your "
              "notebook shows it for inputs of its own")


class PayloadError(Exception):
    """The payload file is missing, too large or not a payload at all."""


#: What the grader says when the payload file is refused, by the refusal's kind.
_REFUSED = {
    "missing": "the grader's calls produced no result at all",
    "link": "the result file could not be opened (it is a link)",
    "special": "the result file is not a regular file",
    "too_large": "the result file is larger than any honest result",
}


def read_payload_file(path) -> dict:
    """Read the raw payload, refusing links, special files and oversized files."""
    try:
        raw = read_regular_file(path, MAX_PAYLOAD_BYTES)
    except FileRefused as exc:
        raise PayloadError(_REFUSED.get(exc.kind, f"the result file {exc}")) from None
    return parse_payload_bytes(raw)


def parse_payload_bytes(raw: bytes) -> dict:
    """Decode the payload file's bytes into the raw entry dictionary."""
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise PayloadError("the result file is larger than any honest result")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nesting bomb
        raise PayloadError("the result file is not valid JSON") from None
    if not isinstance(data, dict):
        raise PayloadError("the result file does not hold a JSON object")
    return data


def hidden_reason(kind: str, message: str) -> str:
    """What to say of a failed call on hidden inputs, in the grader's words only."""
    if kind == "error":
        name = message.split(":", 1)[0].strip()
        what = name if name in _EXCEPTIONS else "an exception"
        if "could not be broadcast" in message:  # numpy's, which the diagnosis names
            return (f"raised {what}: operands could not be broadcast together "
                    f"(the rest of {_NOT_SHOWN})")
        return f"raised {what} ({_NOT_SHOWN})"
    counted = _COUNTED.fullmatch(message)
    if counted:  # "returned 5 values instead of 6 values", "returned a float instead of ..."
        got, wanted = counted.groups()
        small = got.split()[0].isdigit() and int(got.split()[0]) <= 12
        plain = got in _PLAIN_TYPES
        what = got if small or plain else "something else"
        return f"returned {what} instead of {wanted}"
    if message.startswith("returned "):
        return "returned the wrong number of values"
    if message.startswith("has "):
        return "returned far more values than expected"
    return "returned something that is not numbers"


def decode_entry(entry, hidden: bool = False):
    """One payload entry as an array, ``None`` or :class:`Unavailable`; ``hidden``: of a
    call on the grader's hidden inputs (see :data:`HIDDEN_CALLS`)."""
    if not isinstance(entry, dict):
        return Unavailable("could not be read back from your notebook")
    kind = entry.get("kind")
    message = entry.get("message")
    message = safe_text(message[:300]) if isinstance(message, str) else "could not be read"
    if hidden and kind in ("error", "invalid", "failed"):
        shapes = raised_shapes(message) if kind == "error" else None
        return Unavailable(hidden_reason(kind, message), shapes=shapes)
    if kind == "none":
        return None
    if kind == "undefined":
        return Unavailable("is not defined (did its cell run without errors?)")
    if kind == "error":
        return Unavailable(f"raised {message}")
    if kind == "invalid":
        return Unavailable(message)
    if kind == "failed":
        return Unavailable(f"could not be computed: {message}")
    if kind == "timeout":
        seconds = entry.get("seconds")
        if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
            return Unavailable(f"did not finish within {seconds} s when the grader called it")
        return Unavailable("did not finish in the time the grader allows when it called it")
    if kind != "array":
        return Unavailable("could not be read back from your notebook")
    shape, data = entry.get("shape"), entry.get("data")
    if (not isinstance(shape, list) or len(shape) > MAX_DIMS
            or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_VALUE_SIZE
                       for n in shape)
            or not isinstance(data, list) or len(data) > MAX_VALUE_SIZE
            or math.prod(shape) != len(data)
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data)):
        return Unavailable("could not be read back from your notebook")
    try:
        return np.array(data, dtype=np.float64).reshape(shape)
    except OverflowError:  # a JSON integer beyond the largest float
        return Unavailable("holds a number too large for a float (beyond 1.8e308)")


class Payload:
    """Decoded values, looked up by the harvest's keys."""

    def __init__(self, raw: dict | None, problem: str = ""):
        self.raw = raw or {}
        self.problem = problem

    @property
    def complete(self) -> bool:
        return "done" in self.raw

    def value(self, key, missing_reason="was never reached"):
        if key in self.raw:
            return decode_entry(self.raw[key], hidden=key.startswith(HIDDEN_CALLS))
        return Unavailable(self.problem or missing_reason)

    def values(self, prefix, names, missing_reason="was never reached"):
        """A tuple of values for ``prefix.name``, or one :class:`Unavailable`."""
        if prefix in self.raw:
            whole = decode_entry(self.raw[prefix], hidden=prefix.startswith(HIDDEN_CALLS))
            return whole if isinstance(whole, Unavailable) else Unavailable("returned no values")
        if not any(f"{prefix}.{name}" in self.raw for name in names):
            return Unavailable(self.problem or missing_reason)
        return tuple(self.value(f"{prefix}.{name}") for name in names)


def read_payload(path) -> Payload:
    try:
        return Payload(read_payload_file(path))
    except PayloadError as exc:
        return Payload(None, str(exc))


def payload_from_files(files: dict) -> Payload:
    """The payload from a sandbox's exchange files (``{name: bytes}``)."""
    raw = files.get(PAYLOAD_FILE)
    if raw is None:
        return Payload(None, "the grader's calls produced no result at all")
    try:
        return Payload(parse_payload_bytes(raw))
    except PayloadError as exc:
        return Payload(None, str(exc))


__all__ = ["Payload", "PayloadError", "payload_from_files", "read_payload"]
