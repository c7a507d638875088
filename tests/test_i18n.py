"""The message catalogues: complete, with the English's placeholders and code, compiled;
and the lookup: one language per context, English by default."""

import io
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from autograder import i18n
from tests.support import REPO

PYBABEL = Path(sys.executable).parent / "pybabel"
CATALOGUES = {lang: i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
              for lang in i18n.LANGUAGES if lang != i18n.DEFAULT}
#: A format field: ``{name}``, ``{error:.2g}``, ``{0}``.
FIELD = re.compile(r"\{[^{}]*\}")
CODE = re.compile(r"`[^`]+`")
CJK = re.compile(r"[\u4e00-\u9fff]")
#: An English word a translation would not keep (outside code and fields).
WORDS = re.compile(r"\b[a-z]{3,}\b")


def forms(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def prose(text: str) -> str:
    """``text`` without code spans, format fields, options and Markdown/HTML markup."""
    text = re.sub(r"--[\w.-]+", " ", FIELD.sub(" ", CODE.sub(" ", text)))
    return re.sub(r"<[^>]+>", " ", text)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every message the code marks, as Babel extracts it (babel.cfg)."""
    pot = tmp_path_factory.mktemp("pot") / "backprop.pot"
    subprocess.run([str(PYBABEL), "-q", "extract", "-F", "babel.cfg", "-k", "N_",
                    "--no-location", "-o", str(pot), "."], cwd=REPO, check=True)
    with open(pot, "rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def catalogue(lang):
    with open(CATALOGUES[lang], "rb") as handle:
        return read_po(handle, locale=lang)


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def translated(request):
    return request.param, catalogue(request.param)


def test_the_code_marks_its_messages(extracted):
    # the ones every student and instructor meets, from the layers that write them
    ids = {forms(m)[0] for m in extracted.values()}
    assert len(ids) > 300
    assert "The weights after training are correct." in ids
    assert any("points" in text for text in ids)


def test_every_message_has_a_translation(extracted, translated):
    lang, po = translated
    missing = [m.id for m in extracted.values()
               if m.id not in po or po[m.id].fuzzy or not all(strings(po[m.id]))]
    assert not missing, f"{len(missing)} messages lack a {lang} translation " \
                        f"(bash scripts/translations.sh update, translate, compile): {missing[:5]}"


def test_the_catalogue_holds_only_the_codes_messages(extracted, translated):
    lang, po = translated
    stale = [m.id for m in po if m.id and m.id not in extracted]
    assert not stale, f"{lang}: messages the code no longer has: {stale[:5]}"


def test_translations_keep_the_placeholders_and_the_code(translated):
    lang, po = translated
    for message in po:
        if not message.id:
            continue
        english = forms(message)
        for text in strings(message):
            if not text:
                continue
            assert sorted(FIELD.findall(text)) == sorted(FIELD.findall(english[-1])), \
                (lang, message.id, text)
            assert sorted(CODE.findall(text)) == sorted(CODE.findall(english[-1])), \
                (lang, message.id, text)


def test_chinese_is_chinese():
    # a message with English words in it is translated, not copied
    copied = [m.id for m in catalogue("zh_CN") if m.id and WORDS.search(prose(forms(m)[0]))
              and not any(CJK.search(text) for text in strings(m))]
    assert not copied, copied[:5]


def test_chinese_has_one_plural_form():
    po = catalogue("zh_CN")
    assert po.num_plurals == 1
    for message in po:
        if isinstance(message.id, tuple):
            assert len(strings(message)) == 1, message.id


def test_the_compiled_catalogues_are_the_translations(translated):
    lang, po = translated
    compiled = io.BytesIO()
    write_mo(compiled, po)
    mo = CATALOGUES[lang].with_suffix(".mo")
    assert mo.is_file() and mo.read_bytes() == compiled.getvalue(), \
        f"{mo} is not compiled from its .po: bash scripts/translations.sh compile"


# -- the lookup ------------------------------------------------------------------------


@pytest.mark.parametrize("code, lang", [
    ("zh_CN", "zh_CN"), ("zh", "zh_CN"), ("zh-CN", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"),
    ("zh-Hans", "zh_CN"), ("en", "en"), ("en_US.UTF-8", "en"), ("", "en"), (None, "en"),
    ("fr_FR", "en"), ("C", "en"),
])
def test_normalize(code, lang):
    assert i18n.normalize(code) == lang


@pytest.mark.parametrize("environ, lang", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
    ({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LANGUAGE": "de", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh_CN"),
])
def test_the_environment_chooses_as_gettext_does(environ, lang):
    assert i18n.from_environment(environ) == lang


def test_a_context_chooses_the_language():
    message = "The weights after training are correct."
    assert i18n._(message) == message
    with i18n.language("zh_CN") as lang:
        assert lang == "zh_CN" and i18n.current() == "zh_CN"
        chinese = i18n._(message)
        assert CJK.search(chinese)
        with i18n.language("en"):
            assert i18n._(message) == message
        assert i18n._(message) == chinese
    assert i18n._(message) == message and i18n.current() == "en"


def test_a_context_stays_in_its_thread():
    message = "The weights after training are correct."
    seen = []
    with i18n.language("zh_CN"):
        thread = threading.Thread(target=lambda: seen.append(i18n._(message)))
        thread.start()
        thread.join()
    assert seen == [message]


def test_the_process_language_is_the_default_outside_any_context():
    message = "The weights after training are correct."
    try:
        assert i18n.use("zh-CN") == "zh_CN"
        assert CJK.search(i18n._(message))
        with i18n.language("en"):
            assert i18n._(message) == message
    finally:
        i18n.use(i18n.DEFAULT)
    assert i18n._(message) == message


def test_an_unknown_message_is_shown_as_written():
    with i18n.language("zh_CN"):
        assert i18n._("no such message, 42") == "no such message, 42"
        assert i18n.ngettext("{n} thing", "{n} things", 2) == "{n} things"
