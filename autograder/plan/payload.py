"""The grader's side of the harvest: read back what the student's kernel handed over.

The harvest (:mod:`autograder.student.harvest`) writes one JSON file into the
sandbox's exchange folder. Nothing in it is trusted: it is read size-capped,
as JSON only (never pickle), every entry validated, and anything malformed
turned into an :class:`~autograder.core.values.Unavailable` with a reason. A
submission can therefore forge only its own answers.

The harvest runs in the student's kernel and imports nothing of the course, so
it writes its few reasons in English; they are read back here, in the words
of :data:`KERNEL_REASONS`, and put in the reader's language (the current one:
the submission's, while the verdict step decodes the payload).
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
from ..i18n import N_, _
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


class PayloadError(Exception):
    """The payload file is missing, too large or not a payload at all."""


#: What the grader says when the payload file is refused, by the refusal's kind.
_REFUSED = {
    "missing": N_("the grader's calls produced no result at all"),
    "link": N_("the result file could not be opened (it is a link)"),
    "special": N_("the result file is not a regular file"),
    "too_large": N_("the result file is larger than any honest result"),
    "unopenable": N_("the result file could not be opened ({error})"),
}
NO_RESULT = _REFUSED["missing"]
TOO_LARGE = _REFUSED["too_large"]
UNREADABLE = N_("could not be read back from your notebook")


def refused_reason(exc: FileRefused) -> str:
    """Why the payload file was refused, in the current language."""
    try:
        return _(_REFUSED[exc.kind]).format(**(getattr(exc, "details", None) or {}))
    except (KeyError, IndexError, ValueError):
        return _("the result file {problem}").format(problem=exc)


def read_payload_file(path) -> dict:
    """Read the raw payload, refusing links, special files and oversized files."""
    try:
        raw = read_regular_file(path, MAX_PAYLOAD_BYTES)
    except FileRefused as exc:
        raise PayloadError(refused_reason(exc)) from None
    return parse_payload_bytes(raw)


def parse_payload_bytes(raw: bytes) -> dict:
    """Decode the payload file's bytes into the raw entry dictionary."""
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise PayloadError(_(TOO_LARGE))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nesting bomb
        raise PayloadError(_("the result file is not valid JSON")) from None
    if not isinstance(data, dict):
        raise PayloadError(_("the result file does not hold a JSON object"))
    return data


#: The reasons the harvest (:mod:`autograder.student.harvest`) writes, as it writes them
#: (in English: it runs in the student's kernel and imports nothing of the course), and
#: the message each becomes. A reason that matches none is passed on as written.
KERNEL_REASONS = [
    (re.compile(r"has (?P<n>\d+) values, far more than expected"),
     N_("has {n} values, far more than expected")),
    (re.compile(r"holds a number too large for a float"),
     N_("holds a number too large for a float")),
    (re.compile(r"is a (?P<type>\S+), not numbers"), N_("is a {type}, not numbers")),
    (re.compile(r"returned (?P<got>\d+) values instead of (?P<want>\d+) values"),
     N_("returned {got} values instead of {want} values")),
    (re.compile(r"returned a (?P<type>\S+) instead of (?P<want>\d+) values"),
     N_("returned a {type} instead of {want} values")),
    (re.compile(r"returned a value that could not be read \((?P<error>.*)\)", re.S),
     N_("returned a value that could not be read ({error})")),
    (re.compile(r"`backprop_step` raised (?P<error>.*)", re.S),
     N_("`backprop_step` raised {error}")),
    (re.compile(r"(?P<type>\w+) \(its message could not be shown\)"),
     N_("{type} (its message could not be shown)")),
]


def kernel_reason(message: str) -> str:
    """A reason the harvest wrote, in the current language."""
    for pattern, text in KERNEL_REASONS:
        match = pattern.fullmatch(message)
        if match:
            fields = {name: kernel_reason(value) if name == "error" else value
                      for name, value in match.groupdict().items()}
            return _(text).format(**fields)
    return message


#: What the grader says of a call on its hidden inputs that failed: nothing the student's
#: code chose (see :data:`HIDDEN_CALLS`).
HIDDEN = {
    "raised": N_("raised {error} (its message is not shown for the grader's own inputs; the "
                 "self-check in your notebook shows it for inputs of its own)"),
    "raised_unknown": N_("raised an exception (its message is not shown for the grader's own "
                         "inputs; the self-check in your notebook shows it for inputs of its "
                         "own)"),
    "broadcast": N_("raised {error}: operands could not be broadcast together (the rest of "
                    "its message is not shown for the grader's own inputs; the self-check in "
                    "your notebook shows it for inputs of its own)"),
    "broadcast_unknown": N_("raised an exception: operands could not be broadcast together "
                            "(the rest of its message is not shown for the grader's own "
                            "inputs; the self-check in your notebook shows it for inputs of "
                            "its own)"),
    "count": N_("returned {got} values instead of {want} values"),
    "type": N_("returned a {type} instead of {want} values"),
    "other": N_("returned something else instead of {want} values"),
    "wrong_number": N_("returned the wrong number of values"),
    "too_many": N_("returned far more values than expected"),
    "not_numbers": N_("returned something that is not numbers"),
}


def hidden_reason(kind: str, message: str) -> str:
    """What to say of a failed call on hidden inputs, in the grader's words only."""
    if kind == "error":
        name = message.split(":", 1)[0].strip()
        known = name in _EXCEPTIONS
        if "could not be broadcast" in message:  # numpy's, which the diagnosis names
            return _(HIDDEN["broadcast" if known else "broadcast_unknown"]).format(error=name)
        return _(HIDDEN["raised" if known else "raised_unknown"]).format(error=name)
    counted = _COUNTED.fullmatch(message)
    if counted:  # "returned 5 values instead of 6 values", "returned a float instead of ..."
        got, wanted = counted.groups()
        want, first = wanted.split()[0], got.split()[0]
        small = first.isascii() and first.isdigit() and int(first) <= 12
        if small and got == f"{first} values":
            return _(HIDDEN["count"]).format(got=first, want=want)
        if got in _PLAIN_TYPES:
            return _(HIDDEN["type"]).format(type=got[2:], want=want)
        return _(HIDDEN["other"]).format(want=want)
    if message.startswith("returned "):
        return _(HIDDEN["wrong_number"])
    if message.startswith("has "):
        return _(HIDDEN["too_many"])
    return _(HIDDEN["not_numbers"])


def decode_entry(entry, hidden: bool = False):
    """One payload entry as an array, ``None`` or :class:`Unavailable`; ``hidden``: of a
    call on the grader's hidden inputs (see :data:`HIDDEN_CALLS`)."""
    if not isinstance(entry, dict):
        return Unavailable(_(UNREADABLE))
    kind = entry.get("kind")
    message = entry.get("message")
    message = safe_text(message[:300]) if isinstance(message, str) else _("could not be read")
    if hidden and kind in ("error", "invalid", "failed"):
        shapes = raised_shapes(message) if kind == "error" else None
        return Unavailable(hidden_reason(kind, message), shapes=shapes)
    if kind == "none":
        return None
    if kind == "undefined":
        return Unavailable(_("is not defined (did its cell run without errors?)"))
    if kind == "error":
        return Unavailable(_("raised {error}").format(error=kernel_reason(message)))
    if kind == "invalid":
        return Unavailable(kernel_reason(message))
    if kind == "failed":
        return Unavailable(_("could not be computed: {reason}").format(
            reason=kernel_reason(message)))
    if kind == "timeout":
        seconds = entry.get("seconds")
        if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
            return Unavailable(_("did not finish within {seconds} s when the grader called "
                                 "it").format(seconds=seconds))
        return Unavailable(_("did not finish in the time the grader allows when it called it"))
    if kind != "array":
        return Unavailable(_(UNREADABLE))
    shape, data = entry.get("shape"), entry.get("data")
    if (not isinstance(shape, list) or len(shape) > MAX_DIMS
            or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_VALUE_SIZE
                       for n in shape)
            or not isinstance(data, list) or len(data) > MAX_VALUE_SIZE
            or math.prod(shape) != len(data)
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data)):
        return Unavailable(_(UNREADABLE))
    try:
        return np.array(data, dtype=np.float64).reshape(shape)
    except OverflowError:  # a JSON integer beyond the largest float
        return Unavailable(_("holds a number too large for a float (beyond 1.8e308)"))


#: Why a name has no value when the harvest stopped before it.
NEVER_REACHED = N_("was never reached")


class Payload:
    """Decoded values, looked up by the harvest's keys."""

    def __init__(self, raw: dict | None, problem: str = ""):
        self.raw = raw or {}
        self.problem = problem

    @property
    def complete(self) -> bool:
        return "done" in self.raw

    def value(self, key, missing_reason=None):
        if key in self.raw:
            return decode_entry(self.raw[key], hidden=key.startswith(HIDDEN_CALLS))
        return Unavailable(self.problem or missing_reason or _(NEVER_REACHED))

    def values(self, prefix, names, missing_reason=None):
        """A tuple of values for ``prefix.name``, or one :class:`Unavailable`."""
        if prefix in self.raw:
            whole = decode_entry(self.raw[prefix], hidden=prefix.startswith(HIDDEN_CALLS))
            return whole if isinstance(whole, Unavailable) \
                else Unavailable(_("returned no values"))
        if not any(f"{prefix}.{name}" in self.raw for name in names):
            return Unavailable(self.problem or missing_reason or _(NEVER_REACHED))
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
        return Payload(None, _(NO_RESULT))
    try:
        return Payload(parse_payload_bytes(raw))
    except PayloadError as exc:
        return Payload(None, str(exc))


__all__ = ["Payload", "PayloadError", "payload_from_files", "read_payload"]
