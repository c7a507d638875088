"""How the self-check reaches into the notebook: its namespace, and calls of the
student's functions that can neither raise nor print.

Like :mod:`.selfcheck`, this module imports the core only inside its functions
(see :mod:`autograder.sandbox.student_package`). Its reasons are in the current
language (the notebook's, set by the self-check).
"""

import contextlib
import io
import sys


def call(function, *args, **kwargs):
    """Call a student's function; any exception becomes an :class:`Unavailable`."""
    from ..core.values import Unavailable
    from ..i18n import _

    if not callable(function):
        return Unavailable(_("is not defined"))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the student's code may raise anything
        error = f"{type(exc).__name__}: {exc}"
        return Unavailable(_("raised {error}").format(error=error)[:300])


def as_tuple(result, size):
    from ..core.values import Unavailable
    from ..i18n import _

    if isinstance(result, Unavailable):
        return result
    if not isinstance(result, (tuple, list)) or len(result) != size:
        return Unavailable(_("returned {type} instead of {n} values").format(
            type=type(result).__name__, n=size))
    return tuple(result)


def notebook_globals() -> dict:
    """The notebook's namespace: the globals of the ``__main__`` frame that called us."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") != "__main__":
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def notebook_values(name, value):
    """The six quantities as the notebook has them, for error carried forward."""
    from ..core.course import EX1_QUANTITIES

    space = notebook_globals()
    got = {q: space.get(q) for q in EX1_QUANTITIES}
    got[name] = value
    return got
