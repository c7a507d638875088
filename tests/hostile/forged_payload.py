"""A forged harvest file.

Attack: ``train_nn`` (called by the grader's harvest inside the kernel)
overwrites the harvest's result file in ``$AUTOGRADER_EXCHANGE_DIR`` with
JSON nested a million levels deep, then kills the kernel so the harvest
cannot rewrite it. Decoding such a file raises RecursionError, not
ValueError, which failed the whole submission (blank grades).
Must score: 0 on every item, graded (the file is rejected as "not valid
JSON"); Example 1 is solved but its values were in the overwritten file.
"""
from _kit import EX2_CELL, ZERO, ex1_only, with_source

ATTACK = "train_nn writes '[' * 10**6 into the exchange's payload.json, then os._exit(0)"

FORGER = '''
import os


def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    folder = os.environ.get("AUTOGRADER_EXCHANGE_DIR", "exchange")
    with open(os.path.join(folder, "payload.json"), "w") as handle:
        handle.write("[" * 10**6 + "]" * 10**6)
    os._exit(0)
'''


def build(solved, release, ctx):
    return with_source(ex1_only(solved, release), EX2_CELL, FORGER)


EXPECT = {"scores": ZERO, "message": "not valid JSON"}
