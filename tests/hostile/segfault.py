"""A segmentation fault.

Attack: ``ctypes.string_at(0)`` dereferences a null pointer and kills the
kernel process with SIGSEGV.
Must score: Example 1 in full (13 points); the kernel is restarted without
the cell and the feedback says it crashed the kernel.
"""
from _kit import earned, ex1_only, with_cell

ATTACK = "ctypes.string_at(0) in a cell after the setup cell"


def build(solved, release, ctx):
    return with_cell(ex1_only(solved, release), "import ctypes\nctypes.string_at(0)\n",
                     after="setup")


EXPECT = {"scores": earned("ex1"), "message": "crashed the kernel"}
