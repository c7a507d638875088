"""Messages in the reader's language: gettext catalogues, one language per context.

Every message a student or an instructor reads is written once, in English, in
the code, wrapped in :func:`_` (or :func:`ngettext` where a number decides the
form, :func:`N_` for a table looked up later); its placeholders are named
(``{name}``) and filled after the lookup, so a translation may move them. The
translations live in ``autograder/locale/<language>/LC_MESSAGES/backprop.po``;
Babel extracts, updates and compiles them (``scripts/translations.sh``), and
Python's :mod:`gettext` reads the compiled ``.mo`` files.

Which language applies is a context, set by whoever knows the reader:

* the grader, from the submission's assignment (each edition of the course
  has its language: :func:`autograder.core.course.assignment_language`);
* the notebook's self-check and ``backprop check``, from the notebook's own
  metadata (``metadata.backprop.lang``);
* ``backprop report`` and the other commands, from ``--lang`` or the
  environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).

``with language("zh_CN"): ...`` makes every lookup inside the block (in this
thread or task) use that catalogue; outside any block, the language set by
:func:`use` (English unless set). No code asks which language is on: it only
looks messages up.

This module imports nothing of the course, so every layer may use it (the
student's kernel included).
"""

from __future__ import annotations

import contextvars
import functools
import gettext
import os
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "backprop"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The languages the course is written in; the first is the default.
LANGUAGES = ("en", "zh_CN")
DEFAULT = LANGUAGES[0]
#: The environment variables gettext reads for a language, in its order.
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_ENGLISH = gettext.NullTranslations()
_current: contextvars.ContextVar = contextvars.ContextVar("backprop_language", default=None)
_process_default = [DEFAULT]


def normalize(code) -> str:
    """The course language that ``code`` names (``zh``, ``zh-CN``, ``zh_CN.UTF-8``,
    ``zh-Hans`` ... are ``zh_CN``); anything the course is not written in is the default."""
    if not code:
        return DEFAULT
    base = str(code).split(".")[0].split("@")[0].replace("-", "_").strip()
    for known in LANGUAGES:
        if base.lower() == known.lower() or base.split("_")[0].lower() == known.split("_")[0]:
            return known
    return DEFAULT


def known(code) -> bool:
    """Whether ``code`` names a language the course is written in."""
    if not code:
        return False
    first = str(code).split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return any(first == lang.split("_")[0].lower() for lang in LANGUAGES)


def from_environment(environ=None) -> str:
    """The language the environment asks for, as gettext reads it (``LANGUAGE``
    first, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); the default otherwise."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name)
        if value:
            for first in value.split(":"):
                if first in ("C", "POSIX") or first.startswith("C."):
                    return DEFAULT
                if known(first):
                    return normalize(first)
            return DEFAULT
    return DEFAULT


@functools.lru_cache(maxsize=None)
def translations(code) -> gettext.NullTranslations:
    """The catalogue of ``code``; English (the messages as written) when there is none."""
    code = normalize(code)
    if code == DEFAULT:
        return _ENGLISH
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)


def current() -> str:
    """The language of the current context (for what is chosen, not looked up: fonts)."""
    code = _current.get()
    return _process_default[0] if code is None else code


def use(code) -> str:
    """Make ``code`` this process's language outside any :func:`language` block
    (a command's ``--lang``); the language set."""
    _process_default[0] = normalize(code)
    return _process_default[0]


@contextmanager
def language(code):
    """Within this block, messages are looked up in ``code``'s catalogue."""
    token = _current.set(normalize(code))
    try:
        yield normalize(code)
    finally:
        _current.reset(token)


def _catalogue() -> gettext.NullTranslations:
    return translations(current())


def _(message: str) -> str:
    """``message`` in the current language."""
    return _catalogue().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that fits ``count``, in the current language."""
    return _catalogue().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without looking it up now (a table of
    texts looked up later with :func:`_`)."""
    return message
