"""Text in columns: English exactly as textwrap and str.ljust lay it out, Chinese by width."""

import textwrap

from autograder.workspace import columns

ENGLISH = ("Example 2, both weight updates: 1/n_records left out, so every step is "
           "n_records times too long")
CHINESE = "实例 2，两处权重更新：漏掉了 1/n_records，于是每一步都长了 n_records 倍（见“数学推导”一节）。"


def test_english_is_laid_out_as_before():
    assert columns.fill(ENGLISH, 42) == textwrap.fill(ENGLISH, 42)
    assert columns.ljust("student", 12) == f"{'student':<12}"
    assert columns.rjust("total", 6) == f"{'total':>6}"


def test_a_chinese_character_takes_two_columns():
    assert columns.columns("学生 ab") == 7
    assert columns.ljust("学生", 6) == "学生  " and columns.rjust("总分", 6) == "  总分"


def test_chinese_breaks_between_characters_within_the_width_and_not_before_punctuation():
    text = columns.fill(CHINESE, 20)
    lines = text.splitlines()
    assert len(lines) > 2
    assert all(columns.columns(line) <= 20 for line in lines)
    assert not any(line[0] in columns.CLOSING for line in lines)
    assert not any(line[-1] in columns.OPENING for line in lines)
    assert "".join(text.split()) == "".join(CHINESE.split())  # nothing lost
    assert "n_records" in text.replace("\n", "")  # a word is never cut
