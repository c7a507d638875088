"""The narrow channel out of the student's kernel.

After the notebook has run, the grader sends :data:`KERNEL_CODE` into the
student's kernel. It reads the six Example 1 names, calls ``backprop_step``
and ``train_nn`` on the inputs of the grading plan, and writes what it got to
one JSON file in the sandbox's exchange folder, rewriting the file after every
entry so that a later crash or hang loses only what came after it.

Nothing is judged in there. The grader reads the file back with
:func:`read_payload`: size-capped, JSON only (never pickle), every entry
validated, and anything malformed turned into an :class:`Unavailable` with a
reason. A submission can therefore forge only its own answers.
"""

import json
import math
import os
import stat

import numpy as np

from .values import Unavailable

PAYLOAD_NAME = "payload.json"
#: The largest payload accepted; an honest one is about 60 kB.
MAX_PAYLOAD_BYTES = 4 * 2**20
#: The largest array accepted for one value.
MAX_VALUE_SIZE = 10_000
MAX_DIMS = 3

KERNEL_CODE = r'''
def _backprop_harvest(spec_text, out_path, max_size):
    import json as _json
    import os as _os
    import numpy as _np
    import pandas as _pd

    spec = _json.loads(spec_text)
    names = spec["ex1_names"]
    space = globals()
    payload = {}

    def encode(value):
        try:
            if value is None:
                return {"kind": "none"}
            array = _np.asarray(value, dtype=float)
            if array.size > max_size or array.ndim > 3:
                return {"kind": "invalid", "message": "has %d values, far more than expected" % array.size}
            return {"kind": "array", "shape": [int(n) for n in array.shape],
                    "data": [float(v) for v in array.ravel()]}
        except BaseException as exc:
            return {"kind": "invalid", "message": "is a %s, not numbers" % type(value).__name__}

    def failed(exc):
        return {"kind": "error", "message": ("%s: %s" % (type(exc).__name__, exc))[:300]}

    def save():
        tmp = out_path + ".tmp"
        with open(tmp, "w") as handle:
            _json.dump(payload, handle)
        _os.replace(tmp, out_path)

    def record_tuple(prefix, keys, result):
        if not isinstance(result, (tuple, list)) or len(result) != len(keys):
            size = len(result) if isinstance(result, (tuple, list)) else None
            payload[prefix] = {"kind": "invalid", "message": "returned %s instead of %d values" % (
                "%d values" % size if size is not None else "a %s" % type(result).__name__, len(keys))}
            return
        for key, value in zip(keys, result):
            payload[prefix + "." + key] = encode(value)

    def call(prefix, keys, function, *args, **kwargs):
        if not callable(function):
            payload[prefix] = {"kind": "undefined"}
            return
        try:
            result = function(*args, **kwargs)
        except BaseException as exc:
            payload[prefix] = failed(exc)
            return
        record_tuple(prefix, keys, result)

    step = space.get("backprop_step")
    article = spec["ex1_article"]
    for name in names:
        payload["ex1." + name] = encode(space[name]) if name in space else {"kind": "undefined"}
    if callable(step) and any(name not in space for name in names):
        # Say why the names are missing: call the function on the article's inputs.
        try:
            step(_np.array(article["x"]), article["target"], article["learnrate"],
                 _np.array(article["weights_input_hidden"]),
                 _np.array(article["weights_hidden_output"]))
        except BaseException as exc:
            # Keep what the function had computed before it raised.
            computed = {}
            frame_tb = exc.__traceback__
            while frame_tb is not None:
                if frame_tb.tb_frame.f_code is getattr(step, "__code__", None):
                    computed = dict(frame_tb.tb_frame.f_locals)
                frame_tb = frame_tb.tb_next
            reason = ("`backprop_step` raised %s: %s" % (type(exc).__name__, exc))[:300]
            for name in names:
                if name in space:
                    continue
                if computed.get(name) is not None:
                    payload["ex1." + name] = encode(computed[name])
                else:
                    payload["ex1." + name] = {"kind": "failed", "message": reason}
    save()

    for index, case in enumerate(spec["ex1_cases"]):
        call("ex1_case%d" % index, names, step, _np.array(case["x"]), case["target"],
             case["learnrate"], _np.array(case["weights_input_hidden"]),
             _np.array(case["weights_hidden_output"]))
        save()

    train = space.get("train_nn")
    weights = ["weights_input_hidden", "weights_hidden_output", "losses"]
    if "losses" in space:
        record_tuple("ex2_final", weights, (space.get("weights_input_hidden"),
                                            space.get("weights_hidden_output"), space["losses"]))
    else:
        payload["ex2_final"] = {"kind": "undefined"}
    save()

    def frame(data, columns=None):
        features = _pd.DataFrame(_np.array(data["features"], dtype=float), columns=columns)
        targets = _pd.Series(_np.array(data["targets"], dtype=float), index=features.index)
        return features, targets

    ex2 = spec["ex2"]
    features, targets = frame(ex2, ex2["columns"])
    call("ex2_first", weights, train, features, targets, ex2["epochs"], ex2["learnrate"],
         n_hidden=ex2["n_hidden"], seed=ex2["seed"])
    save()
    for index, case in enumerate(spec["ex2_cases"]):
        features, targets = frame(case)
        call("ex2_case%d" % index, weights, train, features, targets, case["epochs"],
             case["learnrate"], n_hidden=case["n_hidden"], seed=case["seed"])
        save()
    payload["done"] = {"kind": "none"}
    save()

try:
    _backprop_harvest(__SPEC__, __PATH__, __MAX_SIZE__)
finally:
    del _backprop_harvest
'''


def kernel_code(spec: dict, out_path: str) -> str:
    """The harvest code for one submission, with the plan's inputs inlined."""
    return (KERNEL_CODE.replace("__SPEC__", repr(json.dumps(spec)))
            .replace("__PATH__", repr(str(out_path)))
            .replace("__MAX_SIZE__", str(MAX_VALUE_SIZE)))


class PayloadError(Exception):
    """The payload file is missing, too large or not a payload at all."""


def read_payload_file(path) -> dict:
    """Read the raw payload, refusing links, special files and oversized files."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise PayloadError("the grader's calls produced no result at all") from None
    except OSError as exc:
        raise PayloadError(f"the result file could not be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise PayloadError("the result file is not a regular file")
        raw = handle.read(MAX_PAYLOAD_BYTES + 1)
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


def decode_entry(entry):
    """One payload entry as an array, ``None`` or :class:`Unavailable`."""
    if not isinstance(entry, dict):
        return Unavailable("could not be read back from your notebook")
    kind = entry.get("kind")
    message = entry.get("message")
    message = message[:300] if isinstance(message, str) else "could not be read"
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
    return np.array(data, dtype=np.float64).reshape(shape)


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
            return decode_entry(self.raw[key])
        return Unavailable(self.problem or missing_reason)

    def values(self, prefix, names, missing_reason="was never reached"):
        """A tuple of values for ``prefix.name``, or one :class:`Unavailable`."""
        if prefix in self.raw:
            whole = decode_entry(self.raw[prefix])
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
    raw = files.get(PAYLOAD_NAME)
    if raw is None:
        return Payload(None, "the grader's calls produced no result at all")
    try:
        return Payload(parse_payload_bytes(raw))
    except PayloadError as exc:
        return Payload(None, str(exc))


__all__ = ["KERNEL_CODE", "Payload", "PayloadError", "kernel_code", "payload_from_files",
           "read_payload"]
