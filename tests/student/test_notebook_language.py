"""The self-check speaks its notebook's language: ``metadata.backprop.lang`` of the notebook
jupyter_server started the kernel for (``JPY_SESSION_NAME``), else of the working folder's
notebooks when they agree, else English; never an error because of it."""

import json
import re

import pytest

from autograder import i18n
from autograder.constants import NOTEBOOK_LANG_ENV
from autograder.student import notebook_language, selfcheck

CJK = re.compile(r"[\u4e00-\u9fff]")


def write_notebook(path, lang=None):
    metadata = {"kernelspec": {"name": "python3"}}
    if lang is not None:
        metadata["backprop"] = {"lang": lang}
    path.write_text(json.dumps({"cells": [], "metadata": metadata, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    """A fresh kernel's view: its working folder, no session, no language worked out yet."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(notebook_language.SESSION_ENV, raising=False)
    notebook_language.notebook_language.cache_clear()
    yield tmp_path
    notebook_language.notebook_language.cache_clear()


def language(monkeypatch, session=None):
    if session is not None:
        monkeypatch.setenv(notebook_language.SESSION_ENV, str(session))
    notebook_language.notebook_language.cache_clear()
    return notebook_language.notebook_language()


def test_the_session_notebook_decides(kernel, monkeypatch):
    write_notebook(kernel / "backprop.ipynb", "zh_CN")
    write_notebook(kernel / "other.ipynb")  # English: the folder alone could not tell
    assert language(monkeypatch, "backprop.ipynb") == "zh_CN"
    assert language(monkeypatch, "other.ipynb") == "en"
    # an absolute path, and a path relative to the server's root (not to the kernel's cwd)
    assert language(monkeypatch, kernel / "backprop.ipynb") == "zh_CN"
    assert language(monkeypatch, "course/release/backprop_zh/backprop.ipynb") == "zh_CN"


def test_the_languages_are_the_courses(kernel, monkeypatch):
    for lang, expected in (("zh", "zh_CN"), ("zh-CN", "zh_CN"), ("fr", "en"), (42, "en")):
        write_notebook(kernel / "backprop.ipynb", lang)
        assert language(monkeypatch, "backprop.ipynb") == expected, lang


def test_without_a_session_the_working_folders_notebooks_decide_when_they_agree(
        kernel, monkeypatch):
    assert language(monkeypatch) == "en"  # no notebook at all
    write_notebook(kernel / "backprop.ipynb", "zh_CN")
    assert language(monkeypatch) == "zh_CN"  # the only one
    write_notebook(kernel / "copy.ipynb", "zh_CN")
    assert language(monkeypatch) == "zh_CN"  # they agree
    write_notebook(kernel / "english.ipynb")
    assert language(monkeypatch) == "en"  # they do not


def test_a_session_notebook_that_cannot_be_read_leaves_it_to_the_folder(kernel, monkeypatch):
    write_notebook(kernel / "backprop.ipynb", "zh_CN")
    assert language(monkeypatch, "missing.ipynb") == "zh_CN"
    (kernel / "broken.ipynb").write_bytes(b"\xff{ not json")
    assert language(monkeypatch, "broken.ipynb") == "en"  # two notebooks that disagree now


@pytest.mark.parametrize("content", [b"", b"\xff\xfe", b"[1, 2]", b'{"metadata": []}',
                                     b'{"metadata": {"backprop": "zh_CN"}}', b"9" * 5000])
def test_it_never_fails(kernel, monkeypatch, content):
    (kernel / "backprop.ipynb").write_bytes(content)
    assert language(monkeypatch, "backprop.ipynb") == "en"
    assert language(monkeypatch) == "en"


def test_a_folder_of_the_name_or_an_unreadable_folder_is_english(kernel, monkeypatch):
    (kernel / "backprop.ipynb").mkdir()
    assert language(monkeypatch, "backprop.ipynb") == "en"

    def gone():
        raise OSError("the working folder was removed")

    monkeypatch.setattr(notebook_language, "_working_folder_notebooks", gone)
    assert language(monkeypatch, "backprop.ipynb") == "en"


def test_it_is_worked_out_once_per_kernel(kernel, monkeypatch):
    write_notebook(kernel / "backprop.ipynb", "zh_CN")
    assert language(monkeypatch) == "zh_CN"
    write_notebook(kernel / "backprop.ipynb")
    assert notebook_language.notebook_language() == "zh_CN"  # cached: the file is not read again


def test_english_messages_are_unchanged_in_an_english_notebook(kernel, monkeypatch, capsys):
    write_notebook(kernel / "backprop.ipynb")
    monkeypatch.setenv("BACKPROP_GRADING", "1")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    selfcheck.ex2_other_data(None)
    assert capsys.readouterr().out == selfcheck.GRADED_ELSEWHERE + "\n"


def test_a_chinese_notebooks_checks_speak_chinese(kernel, monkeypatch, capsys):
    write_notebook(kernel / "backprop.ipynb", "zh_CN")
    monkeypatch.setenv(notebook_language.SESSION_ENV, "backprop.ipynb")
    monkeypatch.delenv("BACKPROP_GRADING", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    selfcheck.ex1_quantity("error", 0.11502656915007464)
    chinese = capsys.readouterr().out
    assert CJK.search(chinese), chinese
    assert i18n.current() == i18n.DEFAULT  # the language was set for the check only

    write_notebook(kernel / "backprop.ipynb")
    notebook_language.notebook_language.cache_clear()
    selfcheck.ex1_quantity("error", 0.11502656915007464)
    english = capsys.readouterr().out
    assert english != chinese and not CJK.search(english)


def test_a_chinese_notebook_is_warned_in_chinese_outside_the_sandbox(kernel, monkeypatch,
                                                                     capsys):
    write_notebook(kernel / "backprop.ipynb", "zh_CN")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    selfcheck.ex1_quantity("error", 0.11502656915007464)
    err = capsys.readouterr().err
    assert CJK.search(err) and err != selfcheck.UNPROTECTED + "\n"


def test_a_grading_kernel_is_told_its_language_by_the_grader(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(NOTEBOOK_LANG_ENV, "zh_CN")
    notebook_language.notebook_language.cache_clear()
    try:
        assert notebook_language.notebook_language() == "zh_CN"
    finally:
        notebook_language.notebook_language.cache_clear()


def test_the_graders_first_cell_names_the_submissions_language():
    from autograder.pipeline.harvest_cell import preamble

    namespace = {}
    code = preamble("zh_CN").split("\n")[0]
    import os

    before = {name: os.environ.get(name) for name in (NOTEBOOK_LANG_ENV, "BACKPROP_GRADING")}
    try:
        exec(code, namespace)  # noqa: S102 - the grader's own one-line preamble
        assert os.environ[NOTEBOOK_LANG_ENV] == "zh_CN"
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
