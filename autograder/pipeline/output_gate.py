"""What a student's kernel may change in the notebook the grader saves.

nbclient turns IOPub messages into saved outputs in more ways than printing:

* ``display_data`` / ``execute_result`` / ``stream`` / ``error`` append an
  output to the running cell;
* ``update_display_data``, and any display that reuses a ``display_id``,
  rewrite every earlier output with that id, in *any* cell;
* comm messages keep widget state in the grader's memory (and, from there,
  in the notebook's metadata), and comm targets can redirect outputs;
* a failed execute reply's error is added when no error output matches it.

:class:`OutputGate` (mixed into the execution step) puts every one of those
paths under one budget, ``max_output_bytes`` per run of the notebook, and
closes two of them:

* while the grader runs code of its own in the kernel (the harvest, which
  calls the student's functions on hidden inputs), nothing the kernel sends
  reaches any cell: otherwise a display updated from inside ``backprop_step``
  would write the hidden inputs into a visible cell of the saved notebook;
* comm traffic is ignored: no widget state is kept, no comm target runs.

A message the gate cannot make sense of is dropped, never raised on. The
gate's own notes are in the submission's language (``_messages_language``,
set by the execution step: nbclient may handle messages in another thread).
"""

from __future__ import annotations

from nbformat.v4 import new_output

from .. import i18n
from ..i18n import _

#: What every saved output costs besides its content (its JSON keys and type).
OUTPUT_OVERHEAD = 100
#: Types of message that append an output to the running cell.
APPENDING = ("stream", "display_data", "execute_result", "error")
#: Types of message that may rewrite outputs with the same display id.
DISPLAYING = ("display_data", "execute_result", "update_display_data")


def json_size(value, limit: float = float("inf")) -> int:
    """About how many bytes ``value`` (decoded JSON) takes as JSON; counting stops
    once it passes ``limit``, so a huge value costs no more than the limit."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, dict):
            total += 2 + 2 * len(item)
            for key, inner in item.items():
                total += len(key) + 3 if isinstance(key, str) else 8
                stack.append(inner)
        elif isinstance(item, (list, tuple)):
            total += 2 + len(item)
            stack.extend(item)
        else:
            total += 8
    return total


def output_cost(content: dict, limit: float = float("inf")) -> int:
    """What one output made from a message's ``content`` costs against the budget."""
    parts = [content.get(key) for key in ("text", "data", "metadata", "ename", "evalue",
                                          "traceback", "transient")]
    return OUTPUT_OVERHEAD + json_size(parts, limit)


class OutputGate:
    """The mixin that bounds and filters what the kernel's messages change.

    The class it is mixed into provides ``max_output_bytes`` and nbclient's
    ``process_message``/``output``. Call :meth:`open_gate` before each run of
    the notebook and wrap the grader's own code in :meth:`hidden_run`.
    """

    def _say(self, message: str) -> str:
        """``message`` in the language of the submission being run."""
        with i18n.language(getattr(self, "_messages_language", None) or i18n.current()):
            return _(message)

    def open_gate(self) -> None:
        """A fresh budget (each run of the notebook starts with an empty one)."""
        self._output_bytes, self._capped, self._hidden = 0, set(), False

    def hidden_run(self, running: bool) -> None:
        """Whether the code running now is the grader's: nothing of it is saved."""
        self._hidden = running

    def _charge(self, cost: int, cell_index: int) -> bool:
        """Spend ``cost`` of the budget; False (and a note in the cell, once) if it is spent."""
        if self._output_bytes + cost > self.max_output_bytes:
            self._output_bytes = self.max_output_bytes + 1
            if cell_index not in self._capped and 0 <= cell_index < len(self.nb.cells):
                self._capped.add(cell_index)
                note = self._say("[output cut: more than {n} bytes of output]").format(
                    n=self.max_output_bytes)
                self.nb.cells[cell_index].outputs.append(new_output("stream", name="stdout",
                                                                    text=f"\n{note}\n"))
            return False
        self._output_bytes += cost
        return True

    def _output_left(self) -> int:
        return max(0, self.max_output_bytes - self._output_bytes)

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content") if isinstance(msg, dict) else None
        msg_type = msg.get("msg_type") if isinstance(msg, dict) else None
        if not isinstance(content, dict) or not isinstance(msg_type, str):
            return None
        if msg_type == "status":
            return super().process_message(msg, cell, cell_index)
        if self._hidden or msg_type.startswith("comm"):
            return None
        if "execution_count" in content and not (
                content["execution_count"] is None
                or type(content["execution_count"]) is int):
            return None
        transient = content.get("transient")
        if transient is not None and not isinstance(transient, dict):
            return None
        display_id = transient.get("display_id") if transient else None
        if display_id is not None and not isinstance(display_id, str):
            return None
        if display_id and msg_type in DISPLAYING:
            if not well_formed("display_data", content):
                return None
            # nbclient rewrites every output already shown under this id.
            shown = sum(len(indices) for indices in
                        self._display_id_map.get(display_id, {}).values())
            if shown and not self._charge(shown * output_cost(content, self._output_left()),
                                          cell_index):
                return None
        elif msg_type == "update_display_data":
            return None  # updates a display that was never shown: nothing to do
        return super().process_message(msg, cell, cell_index)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if msg.get("msg_type") in APPENDING and not well_formed(msg["msg_type"], content):
            return None
        cost = output_cost(content, self._output_left())
        if self._output_bytes > self.max_output_bytes or not self._charge(cost, cell_index):
            return None
        return super().output(outs, msg, display_id, cell_index)

    def handle_comm_msg(self, outs, msg, cell_index):
        """Comms are never followed (see the module docstring)."""
        return None

    def charge_reply_error(self, reply: dict, cell, cell_index: int) -> None:
        """Bound the error of a failed execute reply, which nbgrader's ``Execute`` adds
        to the cell when no error output matches it (a timeout, or an output cut)."""
        content = reply.get("content") if isinstance(reply, dict) else None
        if self._hidden or not isinstance(content, dict) or content.get("status") != "error":
            return
        if not well_formed("error", content):
            content.update(ename="Error", evalue=self._say("[an error the grader could not "
                                                           "read]"), traceback=[])
        if any(out.get("output_type") == "error" and out.get("ename") == content["ename"]
               for out in cell.get("outputs", [])):
            return  # nbgrader adds nothing: the error is shown already
        if not self._charge(output_cost(content, self._output_left()), cell_index):
            content.update(ename=content["ename"][:80],
                           evalue=self._say("[cut: the output limit was reached]"), traceback=[])


def well_formed(msg_type: str, content: dict) -> bool:
    """Whether an output message's content has the types a saved output needs."""
    def strings(value):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    if msg_type == "stream":
        return content.get("name") in ("stdout", "stderr") and isinstance(content.get("text"),
                                                                         str)
    if msg_type == "error":
        return (isinstance(content.get("ename"), str) and isinstance(content.get("evalue"), str)
                and strings(content.get("traceback")))
    data, metadata = content.get("data"), content.get("metadata")
    return (isinstance(data, dict) and all(isinstance(key, str) for key in data)
            and isinstance(metadata, dict))
