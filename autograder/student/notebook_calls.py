"""How the self-check reaches into the notebook: its namespace, and calls of the
student's functions that can neither raise nor print.

Like :mod:`.selfcheck`, this module imports the core only inside its functions
(see :mod:`autograder.sandbox.student_package`).
"""

import contextlib
import io
import sys


def call(function, *args, **kwargs):
    """Call a student's function; any exception becomes an :class:`Unavailable`."""
    from ..core.values import Unavailable

    if not callable(function):
        return Unavailable("is not defined")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the student's code may raise anything
        return Unavailable(f"raised {type(exc).__name__}: {exc}"[:300])


def as_tuple(result, size):
    from ..core.values import Unavailable

    if isinstance(result, Unavailable):
        return result
    if not isinstance(result, (tuple, list)) or len(result) != size:
        return Unavailable(f"returned {type(result).__name__} instead of {size} values")
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
