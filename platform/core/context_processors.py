from django.conf import settings
from django.utils.translation import get_language, get_language_bidi, get_language_info

from accounts.rules import can_access_admin


def site(request):
    """The site name, text direction and the languages for the switcher."""
    current = get_language()
    return {
        "site_name": settings.SITE_TITLE,
        # A callable: the template asks only when it renders the link.
        "can_access_admin": lambda: can_access_admin(request.user),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "switcher_languages": [
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
    }
