"""Fonts for the course's plots, so that labels in any course language render.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: Chinese labels
come out as empty boxes. :func:`font_rc` gives the settings to draw with, a
Latin font first and a CJK font after it (matplotlib falls back glyph by
glyph), and :func:`plot_language` says which language a plot can be labelled
in here: the current one when a font for it is installed (Debian's
``fonts-noto-cjk``), English otherwise, so a machine without the fonts draws
readable English labels instead of boxes.

matplotlib keeps a cache of the fonts it found; fonts installed after that
cache was written are added here by their files (public API only).
"""

from __future__ import annotations

import threading

from . import i18n

LATIN = "DejaVu Sans"
#: Fonts with Simplified Chinese glyphs, in order of preference.
CJK = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei",
       "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")
#: The languages whose labels need a CJK font.
NEEDS_CJK = ("zh_CN",)

_SCAN = threading.Lock()
_FOUND: list = []


def _known_families() -> set[str]:
    from matplotlib import font_manager

    return {font.name for font in font_manager.fontManager.ttflist}


def _add_system_cjk_fonts() -> None:
    """Add CJK font files installed after matplotlib's font cache was made."""
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        if "CJK" in path or "wqy" in path.lower() or "SourceHan" in path:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue


def cjk_family() -> str | None:
    """The installed font used for Chinese labels, or ``None`` when there is none
    (looked for once per process)."""
    with _SCAN:
        if not _FOUND:
            known = _known_families()
            found = next((name for name in CJK if name in known), None)
            if found is None:
                _add_system_cjk_fonts()
                known = _known_families()
                found = next((name for name in CJK if name in known), None)
            _FOUND.append(found)
        return _FOUND[0]


def plot_language(code=None) -> str:
    """The language a plot can be labelled in: ``code`` (default: the current
    language) when its glyphs can be drawn here, English otherwise."""
    code = i18n.normalize(code or i18n.current())
    if code in NEEDS_CJK and cjk_family() is None:
        return i18n.DEFAULT
    return code


def font_rc(code=None) -> dict:
    """matplotlib settings to draw a plot labelled in ``code`` (default: the current language)."""
    families = [LATIN]
    if i18n.normalize(code or i18n.current()) in NEEDS_CJK:
        cjk = cjk_family()
        if cjk:
            families.append(cjk)
    # the families themselves, not "sans-serif": matplotlib falls back glyph by glyph
    # only along the list it is given as font.family
    return {"font.family": families, "font.sans-serif": families,
            "axes.unicode_minus": False}
