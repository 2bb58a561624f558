"""Sessions as Django's cached_db keeps them (the shared cache, written through to the
database), with one addition: a request that reads something else from the cache before it
first touches the session may read the session's entry in the same round trip and hand it over
(`read_ahead_key`, `use_read_ahead`). core.page_routes does so with the page's route: every
signed-in page view pays one round trip fewer, and each costs a busy worker far more than its
few microseconds alone (docs/speed.md).

SESSION_ENGINE = "core.sessions" (config.settings, with Redis). Its keys in the cache and its
rows are cached_db's own, so sessions made under either engine stay valid.
"""

from django.contrib.sessions.backends import cached_db
from django.core.cache import caches


class SessionStore(cached_db.SessionStore):
    _read_ahead = None

    def read_ahead_key(self) -> str | None:
        """The key of this session's entry in the default cache, or None when there is nothing
        to read there (no session cookie, the session already loaded, or kept in another
        cache)."""
        loaded = hasattr(self, "_session_cache")
        if loaded or not self.session_key or self._cache is not caches["default"]:
            return None
        return self.cache_key_prefix + self.session_key

    def use_read_ahead(self, data) -> None:
        """The entry read under `read_ahead_key()`: what `load` would have read itself. A miss
        (None) leaves `load` to read the cache and the database as usual."""
        self._read_ahead = data

    def load(self):
        data, self._read_ahead = self._read_ahead, None
        if data is not None:
            return data
        return super().load()
