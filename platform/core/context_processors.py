from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import (
    get_language,
    get_language_bidi,
    get_language_info,
    gettext_noop,
)

from accounts.rules import can_access_admin
from core.area_links import area_links

# The header's area names, also kept in the site shell's catalogue (locale/), which is complete
# in every language and takes precedence over the apps' own: the header never falls back to
# English while an app's catalogue is still being translated.
HEADER_LABELS = (gettext_noop("Courses"), gettext_noop("Forums"), gettext_noop("Consultations"))


def _areas():
    from consultations.selectors import NAV as CONSULTATIONS
    from courses.selectors import NAV as COURSES
    from forums.selectors import NAV as FORUMS

    return [COURSES, FORUMS, CONSULTATIONS]


def main_nav(path: str) -> list[dict]:
    """The three areas' links for the site header, each found by the app that owns it, all
    read from the cache at once."""
    return [
        {"label": label, "url": url, "current": path.startswith(url)}
        for label, url in area_links(_areas())
    ]


def header_cache_keys() -> list[str]:
    """The cache keys the header reads on every page (its area links in the reader's
    language), for core.read_together."""
    return [area.key() for area in _areas()]


NEXT_MAX = 500


def return_here(request) -> str:
    """`?next=<this page>` for the header's account links, except on the account pages."""
    path = request.get_full_path()
    if "/accounts/" in request.path or request.method != "GET":
        return ""
    if len(path) > NEXT_MAX:
        # A huge query (a pasted list, garbage) would be copied into every header link:
        # come back to the page itself instead.
        path = request.path
    return "?" + urlencode({"next": path})


def site(request):
    """The site name, text direction and the languages for the switcher."""
    current = get_language()
    return {
        "site_name": settings.SITE_TITLE,
        # A callable: the template asks only when it renders the link.
        "can_access_admin": lambda: can_access_admin(request.user),
        "main_nav": lambda: main_nav(request.path),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        # "Sign in" and "Sign up" bring people back to the page they were on.
        "return_here": return_here(request),
        "switcher_languages": [
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
    }
