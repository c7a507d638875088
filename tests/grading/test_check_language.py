"""``backprop check`` speaks the notebook's language: ``metadata.backprop.lang``."""

import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder import i18n
from autograder.grading import check
from tests.support import RELEASE_DIR, ZH_RELEASE_DIR

CJK = re.compile(r"[\u4e00-\u9fff]")


def _notebook(tmp_path, metadata, name="x.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    nb.metadata.update(metadata)
    path = tmp_path / name
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("metadata, expected", [
    ({"backprop": {"lang": "zh_CN"}}, "zh_CN"),
    ({"backprop": {"lang": "zh-CN"}}, "zh_CN"),
    ({}, "en"),
    ({"backprop": {}}, "en"),
    ({"backprop": {"lang": "fr_FR"}}, "en"),
    ({"backprop": {"lang": 3}}, "en"),
    ({"backprop": {"lang": ["zh_CN"]}}, "en"),
    ({"backprop": "zh_CN"}, "en"),
    ({"backprop": ["lang"]}, "en"),
    ({"backprop": None}, "en"),
], ids=["zh_CN", "zh-CN", "none", "no-lang", "unknown", "number", "list", "string",
        "list-section", "null-section"])
def test_the_language_is_the_notebooks_own(tmp_path, metadata, expected):
    assert check.notebook_language(_notebook(tmp_path, metadata)) == expected


def test_a_file_that_is_no_notebook_has_no_language(tmp_path, monkeypatch, capsys):
    """Nothing to ask: the check speaks the command's language (English by default)."""
    (tmp_path / "broken.ipynb").write_text("{ not json")
    (tmp_path / "list.ipynb").write_text(json.dumps([1, 2]))
    (tmp_path / "meta.ipynb").write_text(json.dumps(
        {"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": "zh_CN"}))
    (tmp_path / "bytes.ipynb").write_bytes(b"\xff\xfe{")
    for name in ("broken.ipynb", "list.ipynb", "meta.ipynb", "bytes.ipynb", "missing.ipynb",
                 "."):
        assert check.notebook_language(tmp_path / name) is None
    seen = []
    monkeypatch.setattr(check, "save_notes", lambda path: seen.append(i18n.current()) or [])
    assert check.run_check(tmp_path / "missing.ipynb") == 2
    assert seen == ["en"]
    assert "no such notebook" in capsys.readouterr().err


def test_the_whole_check_runs_in_that_language(tmp_path, monkeypatch, capsys):
    """Everything run_check prints (notes, items, totals, errors) is looked up inside one
    language block: the notebook's, unless ``lang`` says otherwise."""
    seen = []

    def fake_check(path, *, timeout):
        seen.append(i18n.current())
        raise check.CheckError("stop")

    monkeypatch.setattr(check, "check_notebook", fake_check)
    monkeypatch.setattr(check, "save_notes", lambda path: seen.append(i18n.current()) or [])
    chinese = _notebook(tmp_path, {"backprop": {"lang": "zh_CN"}}, "zh.ipynb")
    english = _notebook(tmp_path, {}, "en.ipynb")
    assert check.run_check(chinese) == 2
    assert check.run_check(english) == 2
    assert check.run_check(chinese, lang="en") == 2
    assert check.run_check(english, lang="zh") == 2
    assert seen == ["zh_CN"] * 2 + ["en"] * 2 + ["en"] * 2 + ["zh_CN"] * 2
    assert i18n.current() == "en"  # nothing outlives the check
    assert capsys.readouterr().err.count("backprop check: stop") == 4


@pytest.mark.slow
def test_backprop_check_prints_the_notebooks_language(tmp_path):
    """The Chinese edition's notebook is checked in Chinese, the English one in English."""
    env = {key: value for key, value in os.environ.items() if key not in i18n.ENVIRONMENT}
    env["LANG"] = "C.UTF-8"  # the notebook decides, not the terminal
    outputs = {}
    for edition, release in (("zh", ZH_RELEASE_DIR), ("en", RELEASE_DIR)):
        folder = tmp_path / edition
        shutil.copytree(release, folder, ignore=shutil.ignore_patterns("README.md"))
        result = subprocess.run([sys.executable, "-m", "autograder.cli", "check",
                                 "backprop.ipynb", "--timeout", "120"], cwd=folder, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 1, result.stdout + result.stderr
        outputs[edition] = result.stdout
    assert CJK.search(outputs["zh"]), outputs["zh"]
    assert not CJK.search(outputs["en"]), outputs["en"]
    assert "items pass;" in outputs["en"] and "items pass;" not in outputs["zh"]
