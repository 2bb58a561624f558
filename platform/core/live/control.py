"""Open sockets are re-authorised when a person's rights or session change.

Every signed-in socket also follows its user's control audience (`live.control.<user id>`).
Whatever changes what a person may see publishes a control message there after commit:
signing out (any session of theirs), deactivation, a password or superuser change, their roles
(the Wagtail admin's groups), and — published by the features — being named or removed as a
group's moderator or a forum registration decided or revoked. Every worker holding a socket of
that user receives it once (one subscription per worker, as for events), and each of those
sockets re-checks itself (LiveConsumer.reauthorise): it reads its own session again, as a
request would, and asks its consumer for its audiences. A socket whose session ended closes
with CLOSE_SIGNED_OUT; one whose rights changed leaves what it lost and is told
`{"type": "access.changed"}`. While it re-checks, live events wait, so none slips through on
rights it no longer has. A periodic re-check (LIVE_REAUTH_SECONDS) is the backstop for a lost
control message. See docs/realtime.md.

Role changes arrive through the Wagtail admin's forms, not through our services, so they are
caught with model signals here: the one place that watches them.
"""

import hashlib
from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
    user_logged_out,
)
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.crypto import constant_time_compare

from core.events import group_name, publish_on_commit

CONTROL_TYPE = "live.control"
# User fields whose change can take rights away from an open socket.
_WATCHED_FIELDS = ("is_active", "is_superuser", "password")


def control_audience(user_id: int) -> str:
    return group_name("live", "control", user_id)


def session_digest(session_key: str | None) -> str | None:
    """What a control message names a session by: never the key itself, a bearer secret."""
    if not session_key:
        return None
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def reauthorise_user(user_id: int, *, reason: str, ended_session: str | None = None) -> None:
    """After commit, tell every socket of `user_id`, on every worker, to re-check itself;
    a socket of `ended_session` (signed out) closes without asking the database."""
    audience = control_audience(user_id)
    publish_on_commit(
        audience,
        {
            "type": CONTROL_TYPE,
            "audience": audience,
            "reason": reason,
            "ended": session_digest(ended_session),
        },
    )


def session_user(session_key: str | None):
    """The user `session_key` signs in now, as django.contrib.auth.get_user would find them
    for a request (an inactive account, a changed password, an ended session: anonymous),
    without ever writing to the session."""
    if not session_key:
        return AnonymousUser()
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = load_backend(backend_path).get_user(user_id)
    if user is None:
        return AnonymousUser()
    stored = session.get(HASH_SESSION_KEY)
    if not stored:
        return AnonymousUser()
    hashes = [user.get_session_auth_hash()] + [
        user._get_session_auth_hash(secret=secret)
        for secret in getattr(settings, "SECRET_KEY_FALLBACKS", [])
    ]
    if not any(constant_time_compare(stored, expected) for expected in hashes):
        return AnonymousUser()
    return user


# --- what changes a person's rights ----------------------------------------------------------


def _signed_out(sender, request, user, **kwargs):
    if user is not None and getattr(user, "pk", None):
        session = getattr(request, "session", None)
        reauthorise_user(
            user.pk, reason="signed_out", ended_session=getattr(session, "session_key", None)
        )


def _user_before_save(sender, instance, update_fields=None, **kwargs):
    if not instance.pk or (
        update_fields is not None and not set(update_fields) & set(_WATCHED_FIELDS)
    ):
        instance._live_watched = None
        return
    instance._live_watched = (
        sender.objects.filter(pk=instance.pk).values_list(*_WATCHED_FIELDS).first()
    )


def _user_saved(sender, instance, created=False, **kwargs):
    before = getattr(instance, "_live_watched", None)
    if created or before is None:
        return
    now = tuple(getattr(instance, name) for name in _WATCHED_FIELDS)
    if now != before:
        reauthorise_user(instance.pk, reason="account")


def _user_deleted(sender, instance, **kwargs):
    reauthorise_user(instance.pk, reason="account")


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """user.groups changed (from either side): the people whose roles changed re-check."""
    if action == "pre_clear" and reverse:
        instance._live_cleared = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        user_ids = [instance.pk]
    elif action == "post_clear":
        user_ids = getattr(instance, "_live_cleared", [])
    else:
        user_ids = list(pk_set or ())
    for user_id in user_ids:
        reauthorise_user(user_id, reason="roles")


def connect_signals() -> None:
    User = get_user_model()
    uid = "core.live.control"
    user_logged_out.connect(_signed_out, dispatch_uid=f"{uid}.signed_out")
    pre_save.connect(_user_before_save, sender=User, dispatch_uid=f"{uid}.user_before")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user_saved")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid=f"{uid}.user_deleted")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid=f"{uid}.groups")
