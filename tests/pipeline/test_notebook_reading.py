"""Reading a submitted notebook's bytes: what is refused, and why, in the student's words."""

import json
import re
import subprocess
import sys

import nbformat
import pytest

from autograder.pipeline.notebook_reading import (
    UnreadableNotebook,
    parse_notebook,
    read_notebook,
)


def _release_bytes() -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1")]
    return nbformat.writes(nb).encode("utf-8")


@pytest.mark.parametrize("data, reason", [
    (b"", "the file is empty"),
    (b"\n  \n", "the file is empty"),
    (b'{"cells": [', "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8 text (byte 0xff at offset 0)"),
    (b"[]", "JSON but not a notebook"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    (b'{"nbformat": 5, "nbformat_minor": 0, "cells": []}', "nbformat 5"),
    (b'{"nbformat": true, "cells": []}', "nbformat True"),
])
def test_parse_notebook_refuses(data, reason):
    with pytest.raises(UnreadableNotebook, match=re.escape(reason)):
        parse_notebook(data)


def test_parse_notebook_reads_v4_v3_and_bom_and_drops_outputs():
    data = _release_bytes()
    assert parse_notebook(data).cells[1].source == "x = 1"
    assert parse_notebook(b"\xef\xbb\xbf" + data).cells[1].source == "x = 1"
    v3 = nbformat.writes(nbformat.convert(nbformat.reads(data.decode(), 4), 3)).encode()
    assert parse_notebook(v3).nbformat == 4
    raw = json.loads(data)
    raw["cells"][1]["outputs"] = [{"output_type": "bogus"}]
    assert parse_notebook(json.dumps(raw).encode()).cells[1].outputs == []
    del raw["cells"][1]["source"]
    with pytest.raises(UnreadableNotebook, match="cell 1: 'source' is a required property"):
        parse_notebook(json.dumps(raw).encode())


def test_read_notebook_says_why_a_file_is_refused(tmp_path):
    (tmp_path / "real.ipynb").write_bytes(_release_bytes())
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "real.ipynb")
    assert read_notebook(str(tmp_path / "real.ipynb"), 10**6).cells[0].source == "# Title"
    with pytest.raises(UnreadableNotebook, match="^it is a symbolic link, not a file$"):
        read_notebook(str(tmp_path / "link.ipynb"), 10**6)
    with pytest.raises(UnreadableNotebook, match="^it is larger than"):
        read_notebook(str(tmp_path / "real.ipynb"), 10)


def _with_metadata_values(count: int) -> bytes:
    """A valid notebook whose first cell's metadata holds ``count`` empty objects."""
    raw = json.loads(_release_bytes())
    raw["cells"][0]["metadata"]["x"] = "PLACEHOLDER"
    return json.dumps(raw).encode().replace(b'"PLACEHOLDER"',
                                           b"[" + b",".join([b"{}"] * count) + b"]")


@pytest.mark.slow
def test_millions_of_values_are_refused_within_a_memory_bound(tmp_path):
    """20 million empty objects (60 MB, under the size cap) once took about 8 GB."""
    bomb = tmp_path / "bomb.ipynb"
    bomb.write_bytes(_with_metadata_values(20_000_000))
    program = ("from autograder.pipeline.notebook_reading import read_notebook\n"
               "try:\n"
               f"    read_notebook({str(bomb)!r}, 64 * 2**20)\n"
               "except Exception as exc:\n"
               "    print(type(exc).__name__, exc)\n"
               "print([line.split()[1] for line in open('/proc/self/status')\n"
               "       if line.startswith('VmHWM:')][0])\n")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         timeout=300, check=True).stdout.splitlines()
    assert out[0] == ("UnreadableNotebook it holds more than 100,000 JSON values besides its "
                      "outputs, far more than a notebook has")
    # the process's own peak (ru_maxrss would include the forked test process's)
    peak = int(out[1]) * 1024  # VmHWM, in kB
    assert peak < 400 * 2**20, f"the reader peaked at {peak >> 20} MiB"


def test_a_few_hundred_thousand_values_are_refused_at_once():
    with pytest.raises(UnreadableNotebook, match="more than 100,000 JSON values"):
        parse_notebook(_with_metadata_values(200_000))


def test_outputs_full_of_commas_and_brackets_are_read_and_set_aside():
    """An honest notebook that printed a long list: its bound sends it apart, where its
    outputs are dropped; v3 notebooks keep their outputs in worksheets."""
    raw = json.loads(_release_bytes())
    raw["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout",
                                   "text": str(list(range(400_000)))},
                                  {"output_type": "display_data", "metadata": {},
                                   "data": {"application/json": [[0]] * 300_000}}]
    nb = parse_notebook(json.dumps(raw).encode())
    assert nb.cells[1].outputs == [] and nb.cells[1].source == "x = 1"
    v3 = nbformat.convert(nbformat.reads(_release_bytes().decode(), 4), 3)
    v3.worksheets[0].cells[1].outputs = [{"output_type": "stream", "stream": "stdout",
                                          "text": "0, " * 600_000}]
    assert parse_notebook(nbformat.writes(v3).encode()).cells[1].outputs == []


def test_lone_surrogates_are_replaced_so_the_notebook_can_be_run_and_written():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("note \ud800"),
                nbformat.v4.new_code_cell("x = '\udc80'")]
    read = parse_notebook(json.dumps(nb, ensure_ascii=True).encode("ascii"))
    assert [cell.source for cell in read.cells] == ["note \ufffd", "x = '\ufffd'"]
    nbformat.writes(read).encode("utf-8")
