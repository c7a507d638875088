"""``backprop demo --dir``: it builds only in new, empty or its own folders.

The refusals are checked through the command itself (they happen before any
work); a rebuild of a folder the demo made is checked on a marked folder
without running nbgrader, and the whole demo on a small class (slow).
"""

import hashlib
import json
import os
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.demo import folder as demo_folder


def digests(root: Path) -> dict:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            out[rel] = ("link -> " + os.readlink(path) if path.is_symlink()
                        else hashlib.sha256(path.read_bytes()).hexdigest())
    return out


def an_instructors_course(root: Path) -> Path:
    """What the old demo deleted or overwrote: a course with grades and submissions."""
    (root / "source" / "backprop").mkdir(parents=True)
    (root / "source" / "backprop" / "backprop.ipynb").write_text("{}")
    (root / "submitted" / "ann" / "backprop").mkdir(parents=True)
    (root / "submitted" / "ann" / "backprop" / "backprop.ipynb").write_text("ann's work")
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "gradebook.db").write_bytes(b"SQLite format 3\0 grades")
    (root / "grades.csv").write_text("student,score\nann,26\n")
    return root


@pytest.mark.parametrize("make", [
    an_instructors_course,
    lambda root: (root / "notes.txt").write_text("mine"),
    lambda root: (root / demo_folder.MARK_FILE).write_text('{"made_by": "someone else"}'),
])
def test_a_folder_the_demo_did_not_make_is_refused_and_left_untouched(tmp_path, capsys, make):
    root = tmp_path / "dir"
    root.mkdir()
    make(root)
    before = digests(root)
    assert main(["demo", "--dir", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was not made by `backprop demo`" in err[0]
    assert digests(root) == before


def test_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["demo", "--dir", str(target)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert target.read_text() == "x"


def test_a_new_or_empty_folder_is_marked_before_anything_is_built(tmp_path):
    for root in (tmp_path / "new" / "deeper", tmp_path / "empty"):
        if root.name == "empty":
            root.mkdir()
        assert demo_folder.prepare(root) == set()
        assert demo_folder.made_by_demo(root) == set(demo_folder.DEMO_ENTRIES)


def test_a_demo_folder_loses_only_what_the_demo_made(tmp_path):
    root = tmp_path / "demo"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not the demo's")
    root.mkdir()
    demo_folder.prepare(root)
    (root / "submitted" / "perfect").mkdir(parents=True)
    (root / "submitted" / "perfect" / "link").symlink_to(outside)
    (root / "gradebook.db").write_text("demo grades")
    (root / ".nbgrader.log").write_text("log")
    demo_folder.finish(root, set())
    (root / "my-notes.txt").write_text("added by the instructor after the demo ran")

    kept = demo_folder.prepare(root)
    assert kept == {"my-notes.txt"}
    assert sorted(os.listdir(root)) == [demo_folder.MARK_FILE, "my-notes.txt"]
    assert (outside / "precious.txt").read_text() == "not the demo's"  # links not followed
    assert "my-notes.txt" not in demo_folder.made_by_demo(root)


def test_a_forged_mark_cannot_name_what_lies_outside(tmp_path):
    root = tmp_path / "demo"
    root.mkdir()
    (tmp_path / "victim").write_text("x")
    mark = {"made_by": demo_folder.MADE_BY, "entries": ["../victim", "/etc", ".", "..", "ok"]}
    (root / demo_folder.MARK_FILE).write_text(json.dumps(mark))
    assert demo_folder.made_by_demo(root) == {"ok"}
    demo_folder.prepare(root)
    assert (tmp_path / "victim").read_text() == "x"


@pytest.mark.slow
def test_the_demo_builds_marks_and_rebuilds_its_folder(tmp_path):
    from autograder.demo import samples
    from autograder.demo.run import run_demo

    root = tmp_path / "demo"
    perfect = [s for s in samples.SAMPLES if s.name == "perfect"]
    assert run_demo(directory=root, keep=True, class_samples=perfect) == 0
    made = demo_folder.made_by_demo(root)
    assert {"gradebook.db", "submitted", "autograded", "feedback", "grades.csv"} <= made
    (root / "my-notes.txt").write_text("mine")
    assert run_demo(directory=root, keep=True, class_samples=perfect) == 0
    assert (root / "my-notes.txt").read_text() == "mine"
    assert "26" in (root / "grades.csv").read_text()


# -- the grade table and the Chinese demo --------------------------------------------------------
from autograder import i18n  # noqa: E402
from autograder.core.course import ITEMS  # noqa: E402
from autograder.workspace.columns import columns  # noqa: E402

CHINESE_CATALOGUE = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "backprop.mo"


def _table():
    from autograder.demo.run import grade_table

    full = {item.grade_id: float(item.points) for item in ITEMS}
    return grade_table({"perfect": full, "no_learnrate": dict(full, ex1_error=None)},
                       ["perfect", "no_learnrate", "gone"])


def _bars(line):
    """The columns at which the line has a `|`."""
    return [columns(line[:i]) for i, char in enumerate(line) if char == "|"]


def test_the_grade_table_in_english():
    lines = _table().splitlines()
    assert lines[0] == f"{'':<12} | {'Example 1':<62}| {'Example 2':<44}|"
    assert lines[1].startswith("student      |    error out_term") and lines[1].endswith("|  total")
    assert lines[2].startswith("(points)     |") and lines[2].endswith("|     26")
    assert lines[5].startswith("no_learnrate |        -        2")


def test_the_chinese_grade_table_lines_up_on_a_terminal():
    with i18n.language("zh_CN"):
        lines = _table().splitlines()
    assert "实例 1" in lines[0] and "学生" in lines[1] and "总分" in lines[1]
    with i18n.language("en"):
        english = _table().splitlines()
    assert _bars(lines[0]) == _bars(english[0])  # "Example 1" spans the same columns
    assert {tuple(_bars(line)) for line in lines[1:] if "|" in line} == {tuple(_bars(english[1]))}
    assert columns(lines[3]) == columns(lines[1])  # the rule under the header


def test_an_unknown_language_is_refused_before_anything_is_built(tmp_path, capsys):
    root = tmp_path / "dir"
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--dir", str(root), "--lang", "tlh"])
    assert stopped.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not root.exists()


@pytest.mark.slow
def test_the_chinese_demo_grades_the_chinese_edition(tmp_path, capsys):
    from autograder.demo import samples
    from autograder.demo.run import run_demo
    from autograder.workspace.folder import read_grades

    root = tmp_path / "demo"
    perfect = [s for s in samples.SAMPLES if s.name == "perfect"]
    try:
        assert run_demo(directory=root, keep=True, class_samples=perfect, lang="zh_CN") == 0
    finally:
        out = capsys.readouterr().out
    assert (root / "submitted" / "perfect" / "backprop_zh" / "backprop.ipynb").is_file()
    assert not (root / "submitted" / "perfect" / "backprop").exists()
    feedback = root / "feedback" / "perfect" / "backprop_zh" / "backprop.html"
    assert feedback.is_file()
    assert sum(read_grades(root, "backprop_zh")["perfect"].values()) == 26
    assert str(feedback) in out
    if CHINESE_CATALOGUE.is_file():
        assert "课程文件夹：" in out and "成绩册中的成绩：" in out and "参考答案" in out
        assert "Course folder:" not in out
