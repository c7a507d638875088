"""Reading a submitted notebook's bytes: what is refused, and why, in the student's words."""

import json
import re

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


def test_lone_surrogates_are_replaced_so_the_notebook_can_be_run_and_written():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("note \ud800"),
                nbformat.v4.new_code_cell("x = '\udc80'")]
    read = parse_notebook(json.dumps(nb, ensure_ascii=True).encode("ascii"))
    assert [cell.source for cell in read.cells] == ["note \ufffd", "x = '\ufffd'"]
    nbformat.writes(read).encode("utf-8")
