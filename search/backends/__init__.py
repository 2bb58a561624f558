"""Where the lexemes live and how a query is matched, per database.

The rest of the search app speaks plain SQL over its own table (`search_searchentry`,
aliased `e`); a backend adds the match condition and the score. The backend follows the
database (`connection.vendor`) unless the SEARCH_BACKEND setting names a class (a dotted
path) — the place where an Elasticsearch or OpenSearch backend would plug in (docs/deploy.md).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.utils.module_loading import import_string

from .base import Match, SearchBackend

__all__ = ["Match", "SearchBackend", "get_backend"]

_VENDORS = {
    "sqlite": "search.backends.sqlite.SQLiteBackend",
    "postgresql": "search.backends.postgres.PostgresBackend",
}


def get_backend(connection=None) -> SearchBackend:
    connection = connection or default_connection
    path = getattr(settings, "SEARCH_BACKEND", "") or _VENDORS.get(connection.vendor)
    if not path:
        raise ImproperlyConfigured(
            f"No search backend for the {connection.vendor} database: set SEARCH_BACKEND."
        )
    return import_string(path)(connection)
