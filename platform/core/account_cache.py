"""The signed-in account, from the shared cache: one database round trip fewer on every
signed-in request.

Django's authentication reads the account's row on each request (`auth.get_user`) and checks
the session against it. Here the row's fields are kept in the cache under the account, read
with the session in the request's first round trip (core.read_together, core.sessions), and the
answer is Django's own:

- **Same checks.** A cached account is accepted only when the session's backend reads accounts
  as `ModelBackend` does, and the session's hash equals the account's session hash, which is an
  HMAC of the password hash (the same value every session of that account already holds). Any
  other case (no entry, a hash that differs, a secret key rotated through
  `SECRET_KEY_FALLBACKS`) goes through `auth.get_user`, which decides, cycles or flushes.
- **No password hash in the cache.** The account is rebuilt without its `password` (deferred:
  read from the database if some code asks for it), and `save()` on a deferred instance
  writes only the fields it has.
- **Every change drops it, on every worker.** Saving or deleting the account (a password
  change, a deactivation, a new name, a sign-in's time) replaces the entry with a marker for
  `BLOCKED_SECONDS`, again once the transaction commits; a request that read the row before
  the change can only `add` its entry, which the marker refuses, so an old row never comes
  back. Wagtail's bulk "set active state" (one UPDATE, no model signal) is caught by a hook
  (accounts/wagtail_hooks.py). A change that escapes both (a raw `QuerySet.update`, or a
  marker Redis failed to take twice) shows within `ACCOUNT_SECONDS`.
- **Only on a shared cache** (Redis: `reads_together`). A local-memory cache is one process's:
  a password changed in another (a second worker, `manage.py changepassword`) would not drop
  its entry, so there every request reads the row, as Django does.

`AccountCacheMiddleware` stands where `django.contrib.auth.middleware.AuthenticationMiddleware`
stood (config.settings).
"""

import functools

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import SimpleLazyObject

ACCOUNT_SECONDS = 60
BLOCKED_SECONDS = 10
_CHANGED = "changed"


@functools.cache
def _prefix() -> str:
    # Entries written under another SECRET_KEY are not this process's: a rotated key without
    # fallbacks signs every session out, as Django does.
    return salted_hmac("core.account_cache", "key").hexdigest()[:12]


def account_key(user_pk) -> str | None:
    """The cache key of the account `user_pk` (as kept in the session, a string or the key
    itself); None for a value that is no account key."""
    if user_pk is None:
        return None
    try:
        pk = auth.get_user_model()._meta.pk.to_python(user_pk)
    except ValidationError:  # a session holding garbage reads nothing ahead
        return None
    return f"accounts:signed-in:{_prefix()}:{pk}"


@functools.cache
def _cached_names(model) -> tuple[str, ...]:
    """The columns kept: all of the account's but its password."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname != "password")


def _entry(user) -> dict:
    names = _cached_names(type(user))
    return {
        "fields": names,
        "values": tuple(getattr(user, name) for name in names),
        "hash": user.get_session_auth_hash(),
    }


def _from_entry(entry):
    model = auth.get_user_model()
    names = _cached_names(model)
    if entry.get("fields") != names:  # written by a process with another model
        return None
    return model.from_db(router.db_for_read(model), list(names), list(entry["values"]))


@functools.cache
def _model_backend(path: str) -> bool:
    # Only backends that read accounts as ModelBackend does (by key, active ones) are served.
    return type(auth.load_backend(path)).get_user is ModelBackend.get_user


def get_user(request):
    """`django.contrib.auth.get_user(request)`, with the account's row from the cache."""
    session = request.session
    backend_path = session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    key = account_key(session.get(SESSION_KEY))
    if (
        key is None
        or not getattr(cache, "reads_together", False)
        or not session_hash
        or backend_path not in settings.AUTHENTICATION_BACKENDS
        or not _model_backend(backend_path)
    ):
        return auth.get_user(request)
    entry = cache.get(key)
    if isinstance(entry, dict) and constant_time_compare(
        str(entry.get("hash", "")), str(session_hash)
    ):
        user = _from_entry(entry)
        if user is not None and user.is_active:
            return user
    user = auth.get_user(request)
    if user.is_authenticated and entry is None and account_key(user.pk) == key:
        # `add`: a change since the row was read has left its marker, which refuses this.
        cache.add(key, _entry(user), ACCOUNT_SECONDS)
    return user


def _signed_in_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AccountCacheMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with `request.user` from `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _signed_in_user(request))


def account_changed(sender, instance, **kwargs) -> None:
    """The account was saved or deleted: its entry is blocked now and after the commit. A
    sign-in too (its time is in the row, and in password reset tokens): the pages of its first
    seconds read the row."""
    key = account_key(instance.pk)
    if key is None:
        return

    def block():
        cache.set(key, _CHANGED, BLOCKED_SECONDS)

    block()
    transaction.on_commit(block, using=kwargs.get("using"))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    model = auth.get_user_model()
    post_save.connect(account_changed, sender=model, dispatch_uid="account_cache.saved")
    post_delete.connect(account_changed, sender=model, dispatch_uid="account_cache.deleted")
