#!/usr/bin/env bash
# The message catalogues of the course's code (the notebook's own Markdown is in
# notebook.po, kept by `backprop edition --update-catalogue`), kept with Babel:
#
#   bash scripts/translations.sh update    extract every message of autograder/ (see babel.cfg)
#                                          and merge them into each language's backprop.po:
#                                          new messages come in empty, changed ones fuzzy
#   bash scripts/translations.sh compile   compile each backprop.po into the backprop.mo that
#                                          Python's gettext reads at run time
#
# After `update`, translate what is empty or marked fuzzy in
# autograder/locale/<lang>/LC_MESSAGES/backprop.po (remove the fuzzy flag), then `compile`.
# tests/test_i18n.py fails while a message lacks a translation, a translation drops or adds a
# placeholder, or a catalogue is behind the code.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
LOCALE=autograder/locale
# every language of autograder/i18n.py but English, the language of the code
LANGS="$(.venv/bin/python -c 'from autograder import i18n
print(*(lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT))')"
case "${1:-}" in
    update)
        pot="$(mktemp --suffix=.pot)"
        trap 'rm -f "$pot"' EXIT
        "$PYBABEL" -q extract -F babel.cfg -k N_ --no-location --sort-output --omit-header \
            -o "$pot" .
        for lang in $LANGS; do
            if [ -f "$LOCALE/$lang/LC_MESSAGES/backprop.po" ]; then
                "$PYBABEL" update -i "$pot" -d "$LOCALE" -D backprop -l "$lang" --no-wrap \
                    --ignore-obsolete
            else
                "$PYBABEL" init -i "$pot" -d "$LOCALE" -D backprop -l "$lang" --no-wrap
            fi
        done
        ;;
    compile)
        "$PYBABEL" compile -d "$LOCALE" -D backprop --statistics
        ;;
    *)
        echo "usage: bash scripts/translations.sh update|compile" >&2
        exit 2
        ;;
esac
