"""Text laid out in columns, for a terminal or a chart, in any course language.

A Chinese character takes two columns on a terminal (its East Asian width is
"wide"), and Chinese has no spaces between words: a line may break between any
two characters, except before closing punctuation (，。）…) and after opening
punctuation (（“…). English is laid out exactly as :mod:`textwrap` and
``str.ljust`` lay it out.
"""

import re
import textwrap
import unicodedata

#: May not start a line: it goes with what comes before.
CLOSING = "，。：；、）》」』”’！？…"
#: May not end a line: it goes with what comes after.
OPENING = "（《「『“‘"
#: A run of text without spaces or wide characters, one wide character, or spaces.
_PIECES = re.compile(r"[^\s\u2e80-\uffff]+|[\u2e80-\uffff]|\s+")


def columns(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def is_narrow(text: str) -> bool:
    return columns(text) == len(text)


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns (``f"{text:<{width}}"`` for English)."""
    return text + " " * max(0, width - columns(text))


def rjust(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` columns (``f"{text:>{width}}"`` for English)."""
    return " " * max(0, width - columns(text)) + text


def _pieces(text: str) -> list:
    """The unbreakable pieces of ``text`` (spaces are pieces of their own)."""
    pieces = []
    for piece in _PIECES.findall(text):
        glue_before = pieces and not pieces[-1].isspace() and (
            piece[0] in CLOSING or pieces[-1][-1] in OPENING)
        if glue_before:
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def fill(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` columns: :func:`textwrap.fill` for a text
    of narrow characters only; otherwise broken between words and between wide
    characters (a piece wider than a line gets a line of its own)."""
    if is_narrow(text):
        return textwrap.fill(text, width)
    lines, line = [], ""
    for piece in _pieces(" ".join(text.split())):
        if piece.isspace():
            line += " " if line else ""
        elif line.strip() and columns(line.rstrip()) + columns(piece) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)
