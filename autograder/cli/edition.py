"""``backprop edition``: write a translated edition of the assignment's source."""

from ..core.course import ASSIGNMENT
from ..i18n import _
from .options import command_parser


def add_edition(sub) -> None:
    from ..workspace.edition import DEFAULT_LANG, EDITIONS

    edition_parser = command_parser(
        sub, "edition", help=_("write a translated edition of the assignment's source"),
        description=_(
            "Write source/EDITION/ (the notebook, data_prep.py, binary.csv) from the "
            "English source/{assignment}/ and the translation catalogue "
            "autograder/locale/LANG/LC_MESSAGES/notebook.po: code cells, nbgrader metadata and "
            "cell ids unchanged, Markdown cells translated. With --update-catalogue, merge the "
            "English texts into the catalogue instead (new texts empty, changed ones fuzzy) "
            "for the translator. Then generate the release with nbgrader "
            "generate_assignment.").format(assignment=ASSIGNMENT),
        exit_codes=[(0, _("the edition (or the catalogue) was written")),
                    (2, _("the source or the catalogue is missing, or a translation is "
                          "missing, stale, fuzzy or empty"))],
        example=["backprop edition && nbgrader generate_assignment backprop_zh --force"])
    edition_parser.add_argument("--lang", default=DEFAULT_LANG, choices=sorted(EDITIONS),
                                help=_("language of the edition (default: {lang})").format(
                                    lang=DEFAULT_LANG))
    edition_parser.add_argument("--course", help=_("course folder (default: found from the "
                                                   "current folder)"))
    edition_parser.add_argument("--update-catalogue", action="store_true",
                                help=_("merge the English source into the catalogue; write "
                                       "no edition"))
    edition_parser.set_defaults(run=run_edition)


def run_edition(args):
    from ..workspace import edition

    if args.update_catalogue:
        path = edition.update_catalogue(course=args.course, lang=args.lang)
        print(_("updated {path}: translate its empty and fuzzy entries, then run: "
                "{command}").format(path=path, command=edition.COMMAND))
        return 0
    dest = edition.write_edition(course=args.course, lang=args.lang)
    print(_("wrote {folder}; now run: {command}").format(
        folder=dest, command=f"nbgrader generate_assignment {dest.name} --force"))
    return 0
