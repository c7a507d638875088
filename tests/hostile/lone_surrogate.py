"""Lone surrogates: text that cannot be written as UTF-8.

Attack: the notebook file holds ``\\ud800`` escapes (valid JSON) in a code
cell and in a Markdown cell; ``train_nn`` raises an exception whose message
holds one; a cell prints one. Python keeps such a character in a string, but
encoding it as UTF-8 raises: sending the cell to the kernel, writing the
message into the graded notebook, the results file or the feedback page
failed the whole submission (blank grades).
Must score: Example 1 in full (13 points), Example 2 zero with the exception's
message shown (the surrogate replaced by U+FFFD).
"""
import json

from _kit import EX2_CELL, earned, with_cell, with_source

ATTACK = "\\ud800 in the notebook's JSON, in an exception message and in printed text"

RAISER = '''
def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    raise ValueError("SURROGATE-RAISED \\ud800 here")
'''


def build(solved, release, ctx):
    nb = with_source(solved, EX2_CELL, RAISER)
    nb = with_cell(nb, 'x = "cell \ud800 text"  # \udc80\nprint("SURROGATE-PRINTED", x)\n',
                   after="setup")
    nb.cells.insert(1, nb.cells[0].copy())
    nb.cells[1].source = "A note with a lone surrogate: \ud800."
    nb.cells[1]["id"] = "note-with-a-surrogate"
    return json.dumps(nb, ensure_ascii=True).encode("ascii")


EXPECT = {"scores": earned("ex1"), "message": "SURROGATE-RAISED \ufffd here",
          "present": ["SURROGATE-PRINTED"]}
