"""The pieces every sub-command's parser is made of: option types, the ``--lang``
option, and a parser that shows its exit codes and an example."""

import argparse
import sys

from .. import i18n
from ..i18n import _
from ..workspace import columns

PROG = "backprop"
#: Width the descriptions are wrapped to (the epilogs are laid out by hand).
WIDTH = 88


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (seconds, workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("invalid whole number: {value!r}").format(value=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1, not {value}").format(value=value))
    return value


def language_code(text: str) -> str:
    """An argparse type: a language the course is written in (``zh``, ``zh-CN``,
    ``zh_CN.UTF-8`` ... name ``zh_CN``), as :data:`autograder.i18n.LANGUAGES` spells it."""
    if not i18n.known(text):
        raise argparse.ArgumentTypeError(
            _("unknown language {value!r}: choose from {choices}").format(
                value=text, choices=", ".join(i18n.LANGUAGES)))
    return i18n.normalize(text)


def add_language(parser, help, dest="ui_lang") -> None:
    """The ``--lang LANG`` option of a command (its ``ui_lang``); ``help`` names the
    languages with ``{choices}``."""
    parser.add_argument("--lang", dest=dest, metavar="LANG", type=language_code,
                        choices=i18n.LANGUAGES,
                        help=help.format(choices=", ".join(i18n.LANGUAGES)))


def command_parser(sub, name, *, help, description, exit_codes, example):
    """A sub-command's parser whose help shows its exit codes and an example."""
    epilog = _("exit codes:") + "\n" + "".join(f"  {code}  {meaning}\n"
                                              for code, meaning in exit_codes)
    epilog += "\n" + _("example:") + "\n" + "".join(f"  {line}\n" for line in example)
    return sub.add_parser(name, help=help, description=columns.fill(description, WIDTH),
                          epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)


def explicit_language(args):
    """The language ``--lang`` names (the command's, else the global one), or ``None``."""
    return getattr(args, "ui_lang", None) or getattr(args, "global_lang", None)


def requested_language(argv, commands=(), edition_command=None):
    """The output language ``argv`` asks for with ``--lang`` (before the command, or
    the command's own), read before the parser is built so that the help is in that
    language; ``None`` when it asks for none. Raises :class:`argparse.ArgumentTypeError`
    for a language the course is not written in (its ``prog``: whose option it is).
    ``commands``: the sub-commands' names; ``edition_command``: the one whose own
    ``--lang`` names something else."""
    found, command = None, None
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            break
        if command is None and token in commands:
            command = token
            continue
        if command == edition_command or not token.startswith("--lang"):
            continue
        if token == "--lang":
            value = next(tokens, None)
        elif token.startswith("--lang="):
            value = token.partition("=")[2]
        else:
            continue
        if value is None:
            continue  # argparse says what is missing
        try:
            found = language_code(value)
        except argparse.ArgumentTypeError as exc:
            exc.prog = PROG if command is None else f"{PROG} {command}"
            raise
    return found


def usage_error(exc) -> None:
    """A wrong ``--lang`` as a usage error on one line, worded as argparse words it; exit 2."""
    print(f"{getattr(exc, 'prog', PROG)}: error: argument --lang: {exc}", file=sys.stderr)
    raise SystemExit(2)
