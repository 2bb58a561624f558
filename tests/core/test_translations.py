"""Every catalogue is complete, and what the site loads (.mo) matches what we edit (.po).

The interface is complete in all six of the Protocol's languages: the site shell's catalogues
(locale/) and each feature app's own (courses, forums, consultations) in Simplified Chinese,
Arabic, French, Russian and Spanish have no empty and no fuzzy entry, so that no declared
language falls back to English."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["zh_Hans", "ar", "fr", "ru", "es"]
# Each feature app keeps its own catalogues (`manage.py app_messages <app>`), one per
# language: all five must exist and be complete.
FEATURE_APPS = ["courses", "forums", "consultations", "platform/follows", "search"]
APP_CATALOGUES = [
    Path(settings.BASE_DIR) / app / "locale" / name / "LC_MESSAGES"
    for app in FEATURE_APPS
    for name in CATALOGUES
]
COMPLETE_APP_CATALOGUES = APP_CATALOGUES


def catalogue(name):
    return LOCALE / name / "LC_MESSAGES"


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_entry_is_translated_and_none_is_fuzzy(name):
    po = polib.pofile(str(catalogue(name) / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("folder", COMPLETE_APP_CATALOGUES, ids=str)
def test_every_app_string_is_translated_in_every_language(folder):
    assert (folder / "django.po").is_file(), "run `manage.py app_messages <app>`, then translate"
    po = polib.pofile(str(folder / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize(
    "folder", [catalogue(name) for name in CATALOGUES] + APP_CATALOGUES, ids=str
)
def test_the_compiled_catalogue_matches_the_source(folder):
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))

    def entries(catalogue):
        # Untranslated entries are left out of a .mo (the English shows); compare the rest.
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid
            and not e.obsolete
            and "fuzzy" not in e.flags
            and (e.msgstr or any(e.msgstr_plural.values()))
        }

    assert entries(po) == entries(mo), "run `make messages` (compilemessages) and commit the .mo"


# What a translation must carry over from the English: placeholders and markup. A dropped
# %(name)s shows a blank, a changed one raises KeyError (a 500), a dropped <a> loses a link.
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]\w*\)[sd]|%[sd]|</?[a-zA-Z][^<>]*>")


def _nplurals(po):
    return int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))


@pytest.mark.parametrize(
    "folder", [catalogue(name) for name in CATALOGUES] + APP_CATALOGUES, ids=str
)
def test_translations_keep_placeholders_markup_and_every_plural_form(folder):
    po = polib.pofile(str(folder / "django.po"))
    nplurals, wrong = _nplurals(po), []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            if len(entry.msgstr_plural) != nplurals:
                wrong.append((entry.msgid, f"{len(entry.msgstr_plural)} of {nplurals} forms"))
            want = Counter(PLACEHOLDER.findall(entry.msgid_plural))
            for n, text in entry.msgstr_plural.items():
                got = Counter(PLACEHOLDER.findall(text))
                # A form that stands for one number only ("محاولتان", n == 2) may leave out
                # the count, never anything else.
                single = po.metadata.get("Language", "").startswith("ar") and n in (0, 1, 2)
                if got - want or (want - got and not (single and want - got <= COUNT)):
                    wrong.append((entry.msgid, n, dict(got)))
        elif Counter(PLACEHOLDER.findall(entry.msgstr)) != Counter(
            PLACEHOLDER.findall(entry.msgid)
        ):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


COUNT = Counter({"%(counter)s": 1, "%(n)s": 1, "%(count)s": 1, "%(count)d": 1})


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Skip to main content", "跳到主要内容"),
        ("Public consultations", "公众意见征求"),
        ("NGO or civil society", "非政府组织或民间社会"),
    ],
)
def test_site_strings_render_in_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


def test_django_password_length_message_has_chinese_in_every_plural_case():
    with translation.override("zh-hans"):
        for n in (1, 10):
            message = translation.ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                n,
            )
            assert "too short" not in message


@pytest.mark.parametrize("language", ["ar", "fr", "ru", "es"])
def test_the_home_page_speaks_each_declared_language(client, demo, language):
    html = client.get(f"/{language}/").content.decode()
    with translation.override(language):
        translated = translation.gettext("Public consultations")
        skip = translation.gettext("Skip to main content")
    assert translated != "Public consultations"
    assert translated in html and skip in html
