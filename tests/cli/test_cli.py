"""The ``backprop`` command: its process set-up, its help, where it may write."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys, time
started = time.process_time()
import autograder.cli  # what `backprop ...` runs first
import nbformat
from nbformat.v4 import new_code_cell, new_notebook
seconds = time.process_time() - started
assert sys.modules.get("rfc3987_syntax") is None, "the optional grammar was built"
nb = new_notebook(cells=[new_code_cell("1 + 1")])
nbformat.validate(nb)  # validation still works ...
nb.cells[0]["outputs"] = "not a list"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print(f"ok {seconds:.2f}")  # ... and still rejects a broken notebook
"""


def test_the_cli_skips_the_unused_iri_grammar_and_still_validates():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok "), result.stdout + result.stderr


EXIT_PROBE = """
import atexit, gc, sys
import autograder.cli
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
assert autograder.cli.main(["report", "no-such-assignment", "--course", sys.argv[1]]) == 2
print("frozen after main():", gc.get_freeze_count() > 0)
sys.argv[1:] = ["report", "no-such-assignment", "--course", sys.argv[1]]
sys.exit(autograder.cli.run())
"""


def test_the_command_leaves_its_objects_to_the_os_at_exit_and_main_does_not(tmp_path):
    result = subprocess.run([sys.executable, "-c", EXIT_PROBE, str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stdout.splitlines() == ["frozen after main(): False", "frozen at exit: True"]
    assert result.stderr.count("backprop report:") == 2  # both messages flushed


# -- help that helps ------------------------------------------------------------------------
def _sub_help(name) -> str:
    from autograder.cli import build_parser

    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return actions[0].choices[name].format_help()


def test_the_top_level_help_says_what_the_tool_is():
    from autograder.cli import DESCRIPTION, build_parser

    text = build_parser().format_help()
    assert "backpropagation course" in DESCRIPTION and "nbgrader" in DESCRIPTION
    assert " ".join(DESCRIPTION.split()[:6]) in " ".join(text.split())
    assert "thin layer over the Python API" not in text  # not the module's docstring
    for command in ("demo", "check", "grade", "report", "edition"):
        assert f"  {command} " in text


@pytest.mark.parametrize("command", ["demo", "check", "grade", "report", "edition"])
def test_every_command_has_a_description_defaults_exit_codes_and_an_example(command):
    text = _sub_help(command)
    usage, _, rest = text.partition("\n\n")
    assert usage.startswith(f"usage: backprop {command}")
    description = rest.split("\n\n")[0]
    assert len(description.split()) >= 20, description
    assert "exit codes:" in text and "  0  " in text and "  2  " in text
    assert f"example:\n  backprop {command}" in text or f"&& backprop {command}" in text
    options = [a for a in text.split("options:")[1].split("exit codes:")[0].split("\n  -")
               if a.strip() and not a.strip().startswith("h, --help")]
    for option in options:  # every option with a value states its default
        flag = option.split()[0]
        if flag.startswith("-") and "store_true" not in option and option.split()[1].isupper():
            assert "default" in option, f"{command} {flag} does not state its default"


def test_grade_and_check_keep_their_options():
    from autograder.cli import build_parser

    parser = build_parser()
    grade = parser.parse_args(["grade"])
    assert (grade.assignment, grade.course, grade.workers, grade.scheduler, grade.student,
            grade.force, grade.require_sandbox) == ("backprop", None, None, None, None,
                                                    False, False)
    check = parser.parse_args(["check", "nb.ipynb", "--timeout", "9", "--json"])
    assert (check.notebook, check.timeout, check.json) == ("nb.ipynb", 9, True)
    assert parser.parse_args(["check", "nb.ipynb"]).timeout == 300


@pytest.mark.parametrize("argv", [["check", "nb.ipynb", "--timeout", "0"],
                                  ["check", "nb.ipynb", "--timeout", "-5"],
                                  ["check", "nb.ipynb", "--timeout", "ten"],
                                  ["grade", "--workers", "0"]])
def test_a_count_below_one_is_a_usage_error(argv, capsys):
    from autograder.cli import build_parser

    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("backprop ") and ("at least 1" in last or "whole number" in last)


def test_checking_a_folder_says_it_is_a_folder(tmp_path, capsys):
    from autograder.cli import main

    (tmp_path / "work").mkdir()
    assert main(["check", str(tmp_path / "work")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a folder, not a notebook" in err[0], err


# -- outside a course ------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["grade", "report"])
def test_outside_a_course_a_command_says_so_in_one_line_and_writes_nothing(command, tmp_path):
    import autograder

    package_course = Path(autograder.__file__).resolve().parents[1]  # the installed package's
    before = sorted(os.listdir(package_course))
    result = subprocess.run([sys.executable, "-m", "autograder.cli", command, "backprop"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"backprop {command}: no course folder")
    assert "--course" in lines[0]
    assert os.listdir(tmp_path) == []
    assert sorted(os.listdir(package_course)) == before  # no gradebook, report or state there


def test_a_folder_that_is_not_a_course_is_refused(tmp_path):
    from autograder.cli import main

    (tmp_path / "nbgrader_config.py").write_text("# not a course without source/\n")
    assert main(["report", "--course", str(tmp_path)]) == 2
    assert sorted(os.listdir(tmp_path)) == ["nbgrader_config.py"]


# -- backprop edition ----------------------------------------------------------------------
def test_edition_writes_the_edition_and_refuses_a_missing_catalogue_in_one_line(tmp_path,
                                                                                   capsys):
    from autograder.cli import main
    from autograder.workspace.folder import make_course
    from tests.support import REPO, ZH_SOURCE_DIR

    course = make_course(tmp_path / "course", template=REPO)
    (course / "source" / "backprop_zh" / "backprop.ipynb").unlink()
    assert main(["edition", "--course", str(course)]) == 0
    written = course / "source" / "backprop_zh" / "backprop.ipynb"
    assert written.read_bytes() == (ZH_SOURCE_DIR / "backprop.ipynb").read_bytes()
    assert "run: nbgrader generate_assignment backprop_zh --force" in capsys.readouterr().out

    from autograder.workspace import edition

    missing = tmp_path / "locale"
    original, edition.LOCALE_DIR = edition.LOCALE_DIR, missing
    try:
        assert main(["edition", "--course", str(course)]) == 2
    finally:
        edition.LOCALE_DIR = original
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop edition: no translation catalogue")
    assert lines[0].endswith("run: backprop edition --update-catalogue")


# -- the language of the output: --lang, else the environment ----------------------------------
import re  # noqa: E402

from autograder import i18n  # noqa: E402

HAN = re.compile(r"[\u4e00-\u9fff]")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _command_env(**values) -> dict:
    """The environment of a ``backprop`` subprocess: this package first on the path, the
    locale variables ``values`` only."""
    import autograder

    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    package_root = str(Path(autograder.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return dict(env, **values)


@pytest.fixture(autouse=True)
def _english_afterwards():
    """``main`` sets this process's language: each test leaves it English."""
    yield
    i18n.use(i18n.DEFAULT)


@pytest.fixture
def environment(monkeypatch):
    """Set the locale variables: ``environment(LANG="zh_CN.UTF-8")``; the others unset."""
    def set_to(**values):
        for name in LOCALE_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    set_to(LANG="C.UTF-8")
    return set_to


def _course_with_gradebook(tmp_path):
    from nbgrader.api import Gradebook

    from autograder.workspace.folder import db_url, make_course
    from tests.support import REPO

    course = make_course(tmp_path / "course", template=REPO)
    with Gradebook(db_url(course)) as gradebook:
        gradebook.update_or_create_assignment("backprop")
    return course


@pytest.mark.parametrize("value, code", [("zh", "zh_CN"), ("zh-CN", "zh_CN"), ("zh_CN", "zh_CN"),
                                         ("zh_CN.UTF-8", "zh_CN"), ("en", "en"),
                                         ("en_US.UTF-8", "en")])
@pytest.mark.parametrize("argv", [["report"], ["grade"], ["check", "nb.ipynb"], ["demo"]])
def test_lang_names_a_course_language_in_any_usual_spelling(argv, value, code):
    from autograder.cli import build_parser, requested_language

    parser = build_parser()
    assert parser.parse_args(argv + ["--lang", value]).ui_lang == code
    assert parser.parse_args(["--lang", value] + argv).global_lang == code
    assert requested_language(argv + [f"--lang={value}"]) == code
    assert parser.parse_args(argv).ui_lang is None


def test_the_editions_own_lang_names_the_edition_not_the_output():
    from autograder.cli import build_parser, requested_language

    args = build_parser().parse_args(["edition", "--lang", "zh_CN"])
    assert args.lang == "zh_CN" and args.global_lang is None
    assert requested_language(["edition", "--lang", "zh_CN"]) is None
    assert requested_language(["--lang", "zh", "edition", "--lang", "zh_CN"]) == "zh_CN"


@pytest.mark.parametrize("argv, prog", [(["report", "--lang", "klingon"], "backprop report"),
                                        (["demo", "--lang=fr"], "backprop demo"),
                                        (["--lang", "xx", "report"], "backprop")])
def test_an_unknown_language_is_a_usage_error_in_one_line(argv, prog, capsys):
    from autograder.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == "", captured
    assert lines[0].startswith(f"{prog}: error: argument --lang: unknown language")
    assert "en, zh_CN" in lines[0]


def test_an_unknown_language_in_a_run_command_exits_2_with_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "report", "--lang", "xx"],
                            cwd=tmp_path, env=_command_env(LANG="C.UTF-8"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_environment_chooses_the_language_when_lang_does_not(tmp_path, environment):
    from autograder.cli import main

    course = _course_with_gradebook(tmp_path)
    environment(LANG="zh_CN.UTF-8")
    assert main(["report", "--course", str(course)]) == 0
    assert i18n.current() == "zh_CN"
    environment(LANG="zh_CN.UTF-8", LC_ALL="C")  # LC_ALL comes first, as for gettext
    assert main(["report", "--course", str(course)]) == 0
    assert i18n.current() == "en"
    environment(LANG="zh_CN.UTF-8")
    assert main(["report", "--course", str(course), "--lang", "en"]) == 0
    assert i18n.current() == "en"  # --lang wins


def test_the_report_is_in_english_by_default(tmp_path, environment, capsys):
    from autograder.cli import main

    course = _course_with_gradebook(tmp_path)
    assert main(["report", "--course", str(course)]) == 0
    assert capsys.readouterr().out.startswith("Class report: ")
    html = (course / "reports" / "backprop" / "report.html").read_text(encoding="utf-8")
    assert "<h2>Scores</h2>" in html and not HAN.search(html)


@pytest.mark.parametrize("lang", [["--lang", "zh_CN"], ["--lang", "zh"]])
def test_report_lang_zh_cn_writes_the_report_in_chinese(tmp_path, environment, capsys, lang):
    from autograder.cli import main

    course = _course_with_gradebook(tmp_path)
    assert main(["report", "--course", str(course)] + lang) == 0
    assert capsys.readouterr().out.startswith("班级报告：")
    html = (course / "reports" / "backprop" / "report.html").read_text(encoding="utf-8")
    assert "<h1>班级报告：backprop</h1>" in html and "<h2>成绩</h2>" in html


def test_lang_zh_cn_utf8_in_the_environment_gives_a_chinese_report(tmp_path):
    course = _course_with_gradebook(tmp_path)
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "report", "--course",
                             str(course)], env=_command_env(LANG="zh_CN.UTF-8"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("班级报告：")
    html = (course / "reports" / "backprop" / "report.html").read_text(encoding="utf-8")
    assert "<h2>成绩</h2>" in html


def test_the_help_is_in_the_language_asked_for(capsys):
    from autograder.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["--lang", "zh_CN", "report", "--help"])
    assert stopped.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: backprop report")  # argparse's own words stay
    assert "退出码：" in text and "示例：" in text and "报告的语言" in text


def test_check_passes_only_an_explicit_lang(monkeypatch, environment):
    from autograder.cli import main
    from autograder.grading import check

    calls = []
    monkeypatch.setattr(check, "run_check", lambda notebook, **options: calls.append(options))
    environment(LANG="zh_CN.UTF-8")
    main(["check", "nb.ipynb"])
    main(["check", "nb.ipynb", "--lang", "zh"])
    main(["--lang", "en", "check", "nb.ipynb"])
    assert [options["lang"] for options in calls] == [None, "zh_CN", "en"]
