"""The language of the notebook a kernel runs, for the checks' messages and the plot.

A notebook keeps its language in ``metadata.backprop.lang`` (``zh_CN`` in the
Chinese edition; English without one). A kernel does not see its notebook, so
:func:`notebook_language` looks for it: the notebook jupyter_server started this
kernel for (``JPY_SESSION_NAME``; in a grading kernel, the language the grader sets
in ``BACKPROP_NOTEBOOK_LANG`` comes first), else the notebooks in the kernel's working
folder when there is one or they agree, else English. It never fails, and is
worked out once per kernel.
"""

import functools
import glob
import json
import os

from .. import i18n
from ..constants import NOTEBOOK_LANG_ENV

#: Where a notebook keeps its language: ``metadata.backprop.lang``.
LANG_KEYS = ("backprop", "lang")
#: The environment variable jupyter_server sets, in a kernel it starts for a notebook, to
#: the notebook's path (relative to the server's root, or absolute).
SESSION_ENV = "JPY_SESSION_NAME"
#: Notebooks larger than this, or more than this many in the working folder, are not read
#: for their language.
MAX_NOTEBOOK_BYTES = 64 * 2**20
MAX_NOTEBOOKS = 20


def _language_of_file(path):
    """``(True, lang)`` for a notebook file that could be read (``lang``: its
    ``metadata.backprop.lang``, ``None`` without one); ``(False, None)`` otherwise."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_NOTEBOOK_BYTES:
            return False, None
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
        for key in ("metadata",) + LANG_KEYS:
            value = value.get(key) if isinstance(value, dict) else None
    except Exception:  # noqa: BLE001 - any file at all: it only decides the language
        return False, None
    return True, value if isinstance(value, str) and value else None


def _set_by_the_grader():
    """``(True, lang)`` in a grading kernel: the grader names the submission's language."""
    lang = os.environ.get(NOTEBOOK_LANG_ENV)
    return (True, lang) if lang else (False, None)


def _session_notebook():
    """``(True, lang)`` of the notebook this kernel was started for, if it can be read."""
    name = os.environ.get(SESSION_ENV)
    if not name:
        return False, None
    cwd = os.getcwd()
    for path in (os.path.join(cwd, name), os.path.join(cwd, os.path.basename(name))):
        found, lang = _language_of_file(path)  # os.path.join keeps an absolute name
        if found:
            return True, lang
    return False, None


def _working_folder_notebooks():
    """``(True, lang)`` when the working folder's notebooks agree on their language."""
    paths = sorted(glob.glob(os.path.join(glob.escape(os.getcwd()), "*.ipynb")))
    if not paths or len(paths) > MAX_NOTEBOOKS:
        return False, None
    langs = {_language_of_file(path)[1] for path in paths}
    return (True, langs.pop()) if len(langs) == 1 else (False, None)


@functools.lru_cache(maxsize=None)
def notebook_language() -> str:
    """The language of the notebook this kernel runs (see the module docstring): a
    language the course is written in, English when it cannot tell."""
    try:
        for find in (_set_by_the_grader, _session_notebook, _working_folder_notebooks):
            found, lang = find()
            if found:
                return i18n.normalize(lang)
    except Exception:  # noqa: BLE001 - never fail a check for its language
        pass
    return i18n.DEFAULT
