"""The site's settings plus what only tests need: a concrete moderated model."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.moderated"]
# Hashing is not under test; a fast hasher keeps the suite quick.
# One machine, one clock: a page rendered right after a change may be cached (core.page_cache).
PAGE_CACHE_CLOCK_SKEW = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Wagtail's own admin search index is not under test; updating it at every page save would
# make each demo load (the slowest fixture) a fifth slower. Our site search (search/) is.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
