from django.conf import settings
from django.utils.translation import get_language, get_language_bidi, get_language_info


def site(request):
    """The site name, text direction and the languages for the switcher."""
    current = get_language()
    return {
        "site_name": settings.SITE_TITLE,
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
