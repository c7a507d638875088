"""What a submission handed over for one name: a value, or why there is none."""

from dataclasses import dataclass

from ..i18n import _

#: Where a reason names the value it is about: the check fills in the name (in backticks
#: in the template, ``"`{name}` is not defined."``).
NAME = "{name}"


@dataclass(frozen=True)
class Unavailable:
    """A value the grader could not obtain from the submission.

    ``reason`` is written for the student. It is a whole sentence in which
    :data:`NAME` (``{name}``) stands for the value's name, which the check
    fills in: ``"`{name}` is not defined."`` (looked up with ``_()`` where
    it is made, or marked with ``N_()`` and looked up by :meth:`sentence`);
    :func:`reason` makes one from a template with other fields. A reason
    without ``{name}`` is the older form, a predicate in English ("raised
    ZeroDivisionError: ...", "is not defined"), which :meth:`sentence` puts
    after the name as it always did. ``not_attempted`` marks the untouched
    placeholder (``None``). ``shapes`` are those of a NumPy broadcasting error
    the student's code raised where its message is not shown (on the
    grader's hidden inputs): the mistake finder reads them, the student never
    sees them.
    """

    reason: str
    not_attempted: bool = False
    shapes: tuple | None = None

    def sentence(self, name: str) -> str:
        """The whole sentence a student reads about the value ``name``."""
        if NAME in self.reason:
            return _(self.reason).replace(NAME, name)
        # the older form, a predicate in English: the sentence it always made
        return "`{name}` {reason}.".format(name=name, reason=self.reason)


def reason(template: str, **fields) -> str:
    """A :attr:`Unavailable.reason` from ``template`` (a whole sentence, already looked
    up with ``_()``, whose ``{name}`` the check fills in) and its other ``fields``:
    ``reason(_("`{name}` raised {error}."), error=message)``."""
    return template.format(name=NAME, **fields)
