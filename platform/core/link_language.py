"""Links that lead to a page in another language than the reader's (issue 12).

Courses exist in English and Chinese only, so an Arabic, French, Russian or Spanish page links
to the English course. The reader is told before following the link, not surprised after it:
the link carries `hreflang` (and `lang` on text quoted from the other page), and a visible
"(in English)" in the reader's language. The language is read from the link's language
prefix (/en/…), the one place every internal URL states it.
"""

from django.utils.translation import get_language, get_language_from_path
from django.utils.translation import gettext as _


def _base(code: str) -> str:
    return (code or "").lower().split("-")[0]


def other_language(url) -> str:
    """The language code of the page `url` leads to, when it is not the reader's; else ""."""
    path = str(url or "")
    if not path.startswith("/"):
        return ""  # another site, a fragment or nothing: no language prefix to read
    code = get_language_from_path(path)
    if not code or _base(code) == _base(get_language()):
        return ""
    return code


def _notes() -> dict[str, str]:
    # Whole phrases, not "(in %(language)s)": the language's name changes case and form
    # inside a sentence in French, Russian, Spanish and Arabic ("en anglais", "на английском").
    return {
        "en": _("(in English)"),
        "zh": _("(in Chinese)"),
        "ar": _("(in Arabic)"),
        "fr": _("(in French)"),
        "ru": _("(in Russian)"),
        "es": _("(in Spanish)"),
    }


def language_note(code: str) -> str:
    """ "(in English)" in the reader's language, for a link whose page is in `code`."""
    if not code:
        return ""
    return _notes().get(_base(code), "")


def unavailable_notice(code: str) -> str:
    """For a page shown in `code` because it does not exist in the reader's language (courses
    exist in English and Chinese only): said once at the top, so the pages it links to, in
    the same language, come as no surprise. "" when the page is in the reader's language."""
    if not code or _base(code) == _base(get_language()):
        return ""
    if _base(code) == "en":
        return _(
            "This page is not available in your language: it is shown in English, and the "
            "pages it links to are in English too."
        )
    if _base(code) == "zh":
        return _(
            "This page is not available in your language: it is shown in Chinese, and the "
            "pages it links to are in Chinese too."
        )
    return _(
        "This page is not available in your language: it is shown in the language it was "
        "written in."
    )
