"""State that lives as long as one grading run, owned by the run itself.

nbgrader builds its steps (the exporter, the preprocessors) as a chain of
``parent`` objects whose top is the application of the run (``nbgrader
autograde``, ``backprop grade``'s app). :func:`memo` hangs a named
:class:`Memo` off that top object, so every step of one run shares it, two
runs never do, and it goes when the run goes. Nothing here is a module-level
cache.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

_ATTACH = threading.Lock()


class Memo:
    """Values computed once each, by key, safe to share between threads."""

    def __init__(self):
        self._values = {}
        self._lock = threading.Lock()

    def get(self, key, build):
        """The value for ``key``; ``build()`` makes it the first time."""
        with self._lock:
            if key not in self._values:
                self._values[key] = build()
            return self._values[key]


def run_of(step):
    """The object at the top of ``step``'s ``parent`` chain: the run."""
    while getattr(step, "parent", None) is not None:
        step = step.parent
    return step


def _attribute(name: str) -> str:
    return f"_backprop_memo_{name}"


def memo(step, name: str, *, create: bool = True) -> Memo | None:
    """The run's memo called ``name``; made on first use unless ``create`` is false."""
    run = run_of(step)
    with _ATTACH:
        found = getattr(run, _attribute(name), None)
        if found is None and create:
            found = Memo()
            setattr(run, _attribute(name), found)
        return found


@contextmanager
def remembering(run, name: str):
    """Within this block the run keeps a memo called ``name`` (nested blocks share it);
    outside it, :func:`memo` with ``create=False`` finds none."""
    with _ATTACH:
        outer = getattr(run, _attribute(name), None)
        setattr(run, _attribute(name), outer or Memo())
    try:
        yield getattr(run, _attribute(name))
    finally:
        with _ATTACH:
            setattr(run, _attribute(name), outer)
