"""Sessions as Django's cached_db keeps them (the shared cache, written through to the
database), with one addition: the key of the session's entry in the cache (`read_ahead_key`),
so that a request can have it read together with what it reads first (core.read_together;
core.page_routes does so with the page's route). Every signed-in page view pays one round trip
fewer, and each costs a busy worker far more than its few microseconds alone (docs/speed.md).

SESSION_ENGINE = "core.sessions" (config.settings, with Redis). Its keys in the cache and its
rows are cached_db's own, so sessions made under either engine stay valid.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches

from .account_cache import account_key

# The account each session belonged to when this process last loaded it (at most USERS_KEPT,
# then learnt afresh): a guess, so that a request can read the person's cached facts together
# with their session. A wrong guess only reads a key nobody then asks for.
_users: dict[str, str] = {}
USERS_KEPT = 10_000


class SessionStore(cached_db.SessionStore):
    def read_ahead_key(self) -> str | None:
        """The key of this session's entry in the default cache, or None when there is nothing
        to read there (no session cookie, the session already loaded, or kept in another
        cache)."""
        loaded = hasattr(self, "_session_cache")
        if loaded or not self.session_key or self._cache is not caches["default"]:
            return None
        return self.cache_key_prefix + self.session_key

    def guessed_user_pk(self) -> str | None:
        """The account this session was signed in to when this process last loaded it (see
        `_users`), without loading it; None when unknown."""
        return _users.get(self.session_key) if self.session_key else None

    def load(self):
        data = super().load()
        user_pk = data.get(SESSION_KEY)
        if user_pk is not None and self.session_key:
            if len(_users) >= USERS_KEPT:
                _users.clear()
            _users[self.session_key] = user_pk
        return data


def keys_ahead(request) -> tuple[list[str], str | None]:
    """For core.read_together: the keys of the request's session entry in the cache and of
    the account it was last seen signed in to (core.account_cache), none when the session is
    loaded already, new, or kept elsewhere; and that account (a guess; None when unknown)."""
    session = getattr(request, "session", None)
    if not isinstance(session, SessionStore):
        return [], None
    key, user_pk = session.read_ahead_key(), session.guessed_user_pk()
    if not key:
        return [], user_pk
    return [key, *filter(None, [account_key(user_pk)])], user_pk
