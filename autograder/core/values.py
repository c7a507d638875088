"""What a submission handed over for one name: a value, or why there is none."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Unavailable:
    """A value the grader could not obtain from the submission.

    ``reason`` is written for the student: "`backprop_step` raised
    ZeroDivisionError: ...", "the name `losses` is not defined", and so on.
    ``not_attempted`` marks the untouched placeholder (``None``). ``shapes``
    are those of a NumPy broadcasting error the student's code raised where its
    message is not shown (on the grader's hidden inputs): the mistake finder
    reads them, the student never sees them.
    """

    reason: str
    not_attempted: bool = False
    shapes: tuple | None = None
