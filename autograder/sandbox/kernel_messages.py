"""Kernel messages, checked before the grader's executor reads them.

The student's kernel can send anything on its channels: it holds the session
key, so it can sign a message whose text field is a number, whose content is
a list, whose display id is a list, whose bytes are not UTF-8, whose strings
hold lone surrogates, or whose output fails nbformat's schema. nbclient reads
such a message without checking it and raises, and the whole submission
failed to grade (blank grades).

:class:`CheckedIOPubChannel` and :class:`CheckedShellChannel` replace
jupyter_client's channels in the grader's kernel client. A message that
cannot be decoded, or lacks the shape nbclient relies on, is dropped (and the
first few are logged); lone surrogates are replaced by U+FFFD; IOPub message
types nbclient does nothing useful with are dropped too (nbclient would log
each at ERROR level, so a flood of them would flood the grader's log).
"""

from __future__ import annotations

import logging
import time
from queue import Empty

from jupyter_client.channels import AsyncZMQSocketChannel
from nbformat.v4 import output_from_msg

from ..core.text import may_hold_surrogates, safe_json

#: Output messages, checked by building the output nbclient will build.
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "update_display_data")
#: IOPub messages nbclient acts on (comm traffic is checked for its envelope only).
IOPUB_TYPES = OUTPUT_TYPES + ("status", "clear_output", "execute_input", "comm_open",
                              "comm_msg", "comm_close")
#: Messages a kernel sends outside any request (IOPub's welcome on subscribing, ...):
#: passed on when they answer no request, as nbclient then ignores them.
OUTSIDE_REQUESTS = ("iopub_welcome", "shutdown_reply", "debug_event")
MAX_EXECUTION_COUNT = 2**31 - 1
#: How many dropped messages are logged one by one (then every tenfold).
LOGGED = 3


#: Run first in a grading kernel: ipykernel encodes a message as UTF-8 and raises on a
#: lone surrogate (a student's exception message, printed text), so the cell's error
#: or output never arrives. The kernel's packer falls back to escaped ASCII JSON
#: instead; the grader's channels then replace the surrogate by U+FFFD.
KERNEL_PACKER_CODE = """\
def _backprop_packer(obj, _pack=get_ipython().kernel.session.pack):
    try:
        return _pack(obj)
    except UnicodeEncodeError:
        import json
        from jupyter_client.jsonutil import json_clean, json_default
        return json.dumps(json_clean(obj), default=json_default, allow_nan=False).encode()
get_ipython().kernel.session.pack = _backprop_packer
del _backprop_packer
"""


class Malformed(Exception):
    """A message the grader does not accept; ``str(exc)`` says why."""


def _require(condition, reason):
    if not condition:
        raise Malformed(reason)


def check_envelope(msg) -> None:
    """The parts every reader indexes: a header with a string type, dicts elsewhere."""
    _require(isinstance(msg, dict), "not a message")
    header, parent = msg.get("header"), msg.get("parent_header")
    _require(isinstance(header, dict) and isinstance(header.get("msg_type"), str)
             and isinstance(msg.get("msg_type"), str), "no message type")
    _require(isinstance(parent, dict), "its parent header is not an object")
    _require(parent.get("msg_id") is None or isinstance(parent.get("msg_id"), str),
             "its parent id is not a string")
    _require(isinstance(msg.get("content"), dict), "its content is not an object")
    _require(isinstance(msg.get("metadata", {}), dict), "its metadata is not an object")
    count = msg["content"].get("execution_count")
    _require(count is None or (isinstance(count, int) and not isinstance(count, bool)
                               and 0 <= count <= MAX_EXECUTION_COUNT),
             "its execution count is not a small integer")


def check_iopub(msg) -> None:
    """What nbclient reads of an IOPub message, checked (raises :class:`Malformed`)."""
    check_envelope(msg)
    msg_type, content = msg["msg_type"], msg["content"]
    if msg_type in OUTSIDE_REQUESTS and not msg["parent_header"].get("msg_id"):
        return
    _require(msg_type in IOPUB_TYPES, f"{msg_type[:40]!r} is not a message the grader reads")
    transient = content.get("transient")
    _require(transient is None or isinstance(transient, dict), "its transient is not an object")
    display_id = (transient or {}).get("display_id")
    _require(display_id is None or isinstance(display_id, str), "its display id is not a string")
    if msg_type == "status":
        _require(isinstance(content.get("execution_state"), str), "a status without a state")
    elif msg_type in OUTPUT_TYPES:
        probe = {"header": dict(msg["header"],
                                msg_type="display_data" if msg_type == "update_display_data"
                                else msg_type),
                 "content": content}
        try:
            output_from_msg(probe)  # nbformat's own schema, as nbclient will apply it
        except Exception as exc:  # noqa: BLE001 - KeyError, ValidationError, TypeError ...
            raise Malformed(f"an invalid {msg_type} output ({type(exc).__name__})") from None
    elif msg_type.startswith("comm_"):
        _require(isinstance(content.get("comm_id"), str), "a comm message without an id")
        _require(isinstance(content.get("data", {}), dict), "comm data that is not an object")


def check_shell(msg) -> None:
    """What nbclient and the grader read of a shell reply (raises :class:`Malformed`)."""
    check_envelope(msg)
    content = msg["content"]
    _require(content.get("status") is None or isinstance(content.get("status"), str),
             "its status is not a string")
    payload = content.get("payload")
    _require(payload is None or isinstance(payload, list), "its payload is not a list")


def decode(session, parts, check):
    """The message in the raw frames ``parts``, checked and made safe, or
    :class:`Malformed` (whatever jupyter_client raised while decoding it)."""
    try:
        _, frames = session.feed_identities(parts)
        msg = session.deserialize(frames)
    except Exception as exc:  # noqa: BLE001 - bad signature, bad JSON, bad UTF-8, short ...
        raise Malformed(f"it could not be decoded ({type(exc).__name__})") from None
    if any(may_hold_surrogates(bytes(frame)) for frame in frames[1:5]):
        for key in ("header", "parent_header", "metadata", "content"):
            if key in msg:
                msg[key] = safe_json(msg[key])
        if isinstance(msg.get("header"), dict):
            msg["msg_type"] = msg["header"].get("msg_type")
    check(msg)
    return msg


class _CheckedChannel(AsyncZMQSocketChannel):
    """An async channel whose messages are checked; malformed ones are dropped."""

    check = staticmethod(check_envelope)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropped = 0

    async def get_msg(self, timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not await self.socket.poll(None if left is None else int(left * 1000)):
                raise Empty
            parts = await self.socket.recv_multipart()
            try:
                return decode(self.session, parts, self.check)
            except Malformed as exc:
                self._dropped(str(exc))

    def _dropped(self, reason: str) -> None:
        self.dropped += 1
        if self.dropped <= LOGGED or _power_of_ten(self.dropped):
            log = getattr(self.session, "log", None) or logging.getLogger(__name__)
            log.warning("Dropped a malformed message from the student's kernel (%s); "
                        "%d so far", reason, self.dropped)


def _power_of_ten(n: int) -> bool:
    while n >= 10 and n % 10 == 0:
        n //= 10
    return n == 1


class CheckedIOPubChannel(_CheckedChannel):
    check = staticmethod(check_iopub)


class CheckedShellChannel(_CheckedChannel):
    check = staticmethod(check_shell)


__all__ = ["CheckedIOPubChannel", "CheckedShellChannel", "Malformed", "check_iopub",
           "check_shell", "decode"]
