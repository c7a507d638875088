"""A notebook of millions of empty JSON objects, under the size cap.

Attack: a valid notebook whose first cell's metadata holds 20 million empty
objects: 60 MB, under the 64 MB cap. Parsing it the ordinary way took the
grader to about 8 GB (a Python object per value, multiplied by every copy
nbformat and nbgrader make).
Must score: 0 on every item, "could not be read: it holds more than 100,000
JSON values": values are counted before they are built, and a file past the
cheap bound is parsed apart, in a process with a memory limit of its own.
"""
import json

import nbformat
from _kit import ZERO

ATTACK = "20 million {} in a cell's metadata: 60 MB of JSON"


def build(solved, release, ctx):
    data = json.loads(nbformat.writes(release))
    data["cells"][0]["metadata"]["bomb"] = "PLACEHOLDER"
    text = json.dumps(data).encode("utf-8")
    return text.replace(b'"PLACEHOLDER"', b"[" + b",".join([b"{}"] * 20_000_000) + b"]")


EXPECT = {"scores": ZERO, "message": "could not be read: it holds more than 100,000 JSON values"}
