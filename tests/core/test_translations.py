"""Every catalogue is complete, and what the site loads (.mo) matches what we edit (.po).

English and Simplified Chinese must be complete (the issue); Arabic, French, Russian and
Spanish are kept complete too, so that each declared language shows no English gaps."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["zh_Hans", "ar", "fr", "ru", "es"]
# Each feature app keeps its own catalogues (`manage.py app_messages <app>`): Simplified
# Chinese must be complete there; the other four languages fall back to English where empty.
FEATURE_APPS = ["courses", "forums", "consultations"]
APP_CATALOGUES = [
    path.parent
    for app in FEATURE_APPS
    for path in sorted((Path(settings.BASE_DIR) / app / "locale").glob("*/LC_MESSAGES/django.po"))
]
COMPLETE_APP_CATALOGUES = [path for path in APP_CATALOGUES if path.parent.name == "zh_Hans"]


def catalogue(name):
    return LOCALE / name / "LC_MESSAGES"


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_entry_is_translated_and_none_is_fuzzy(name):
    po = polib.pofile(str(catalogue(name) / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("folder", COMPLETE_APP_CATALOGUES, ids=str)
def test_every_app_string_has_simplified_chinese(folder):
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
