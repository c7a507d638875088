"""Integers too large for a float, in returned values and in the result file.

Attack: ``train_nn`` (otherwise correct) returns its losses as a list whose
last entry is ``10**400``; and a cell patches ``json.dump`` in the kernel, so
that the result file the grader's harvest writes holds ``10**400`` as the
value of ``error``. Python's JSON reads such an integer, but turning it into
a float raises OverflowError, which failed the whole submission (blank
grades).
Must score: 0 on ``ex1_error`` and on the two items that need the losses
(``ex2_loss``, ``ex2_other_data``), each with a message; every other item
in full (Example 1 is judged in context, the weights are right).
"""
from _kit import EX2_CELL, cell, perfect_except, with_cell, with_source

ATTACK = "losses with 10**400 in them; json.dump patched to write 10**400 as `error`"

PATCH = '''
import json as _json

_real_dump = _json.dump


def _forging_dump(payload, handle, **kwargs):
    entry = payload.get("ex1.error")
    if isinstance(entry, dict) and entry.get("kind") == "array":
        entry["data"] = [10 ** 400]
    return _real_dump(payload, handle, **kwargs)


_json.dump = _forging_dump
'''


def build(solved, release, ctx):
    source = cell(solved, EX2_CELL).source
    ret = "return weights_input_hidden, weights_hidden_output, np.array(losses)"
    assert ret in source
    nb = with_source(solved, EX2_CELL, source.replace(
        ret, "return weights_input_hidden, weights_hidden_output, list(losses[:-1]) + [10 ** 400]"))
    return with_cell(nb, PATCH, after="ex1_run")


EXPECT = {"scores": perfect_except("ex1_error", "ex2_loss", "ex2_other_data"),
          "message": "too large for a float"}
