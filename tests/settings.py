"""The site's settings plus what only tests need: a concrete moderated model."""

import os
from urllib.parse import urlparse

from config.settings import *  # noqa: F403
from config.settings import CACHES, CHANNEL_LAYERS, INSTALLED_APPS, REDIS_URL


def redis_worker_url(url: str, worker: int) -> str:
    """`url` with its database number moved up by `worker` (redis://host:port/3 -> /3+worker)."""
    parsed = urlparse(url)
    base = int(parsed.path.strip("/") or 0)
    return parsed._replace(path=f"/{base + worker}").geturl()


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

# pytest-xdist: each worker its own Redis database (the cache's clear() empties a whole
# database), so the PostgreSQL + Redis run can spread over workers too. Worker N uses the URL's
# database number + N; the workers' PostgreSQL databases are already apart (test_<name>_gwN).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL.startswith(("redis://", "rediss://")) and _WORKER.startswith("gw"):
    REDIS_URL = redis_worker_url(REDIS_URL, int(_WORKER[2:]))
    os.environ["REDIS_URL"] = REDIS_URL  # what the processes tests start will read
    CACHES["default"]["LOCATION"] = REDIS_URL
    CACHES["default"]["KEY_PREFIX"] += f"-{_WORKER}"
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [REDIS_URL]
