"""Strings of our dependencies whose Simplified Chinese translation upstream is missing or wrong.

Listing them here lets `makemessages` carry them into our own catalogue (locale/), which
Django reads before the libraries' catalogues, so Chinese pages have no English gaps.
Never imported at run time.
"""

from django.utils.translation import gettext_noop, ngettext

ALLAUTH = [
    # Its zh_Hans catalogue leaves "Hello" in English in every account e-mail.
    gettext_noop("Hello from %(site_name)s!"),
]

DJANGO = [
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
]


def password_too_short(min_length):
    # Django 5.2 reworded this message; its zh_Hans catalogue still has the old wording.
    return (
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            min_length,
        )
        % min_length
    )


COUNTRIES = [  # django-countries names missing from its zh_Hans catalogue, or wrong there
    gettext_noop("American Samoa"),  # upstream: 美属萨摩亚群岛, the same as Samoa
    gettext_noop("Samoa"),  # upstream: 美属萨摩亚群岛, which is American Samoa
    gettext_noop("Tajikistan"),  # upstream: 塔吉克斯斯坦
    gettext_noop("Democratic Republic of the Congo"),
    gettext_noop("Micronesia"),
    gettext_noop("South Georgia"),
    gettext_noop("Palestine"),
    gettext_noop("Saint Helena"),
    gettext_noop("Vatican City"),
    gettext_noop("Tanzania, the United Republic of"),
    gettext_noop("Bahamas (The)"),
    gettext_noop("Eswatini"),
    gettext_noop("Falkland Islands (Malvinas)"),
    gettext_noop("Naoero"),
    gettext_noop("Netherlands (Kingdom of the)"),
    gettext_noop("North Macedonia"),
    gettext_noop("Türkiye"),
]
