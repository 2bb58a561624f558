"""Publishing real-time events, only after the transaction that caused them commits.

Services call `publish_on_commit`; consumers only push what they receive. If the
transaction rolls back, nothing is sent, so no client ever sees a post that does not exist.
If the channel layer drops the message, clients catch up from the database on reconnect.
"""

import logging
import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

_GROUP_UNSAFE = re.compile(r"[^a-zA-Z0-9._-]")
_GROUP_MAX = 99  # channels refuses group names of 100 characters or more


def group_name(*parts) -> str:
    """A valid channel-layer group name from parts, e.g. group_name("forum", 3, "mod")."""
    name = ".".join(_GROUP_UNSAFE.sub("-", str(part)) for part in parts)
    if not name or len(name) > _GROUP_MAX:
        raise ValueError(f"Bad channel group name from {parts!r}")
    return name


def send_now(group: str, event: dict) -> None:
    """Send at once; a broken layer is logged, never raised (the database is the truth)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        logger.exception("Could not publish %s to %s", event.get("type"), group)


def publish_on_commit(group: str, event: dict, *, using: str | None = None) -> None:
    """Send `event` to `group` once the current transaction commits (at once outside one),
    before the commit's other work (on_commit_ahead)."""
    if "type" not in event:
        raise ValueError("A channel-layer event needs a 'type'.")
    on_commit_ahead(lambda: send_now(group, event), using=using)


class _Ahead:
    """A callback of on_commit_ahead's, told apart from the others in Django's list."""

    __slots__ = ("func",)

    def __init__(self, func):
        self.func = func

    def __call__(self):
        self.func()


def on_commit_ahead(func, *, using: str | None = None) -> None:
    """`transaction.on_commit(func)`, run before the callbacks registered just before it in the
    same savepoint, but after the earlier ones registered here, which keep their order.

    For live events: the readers are waiting, and the commit's other work is not theirs. A
    forum post's page-cache change (core.page_cache) registers its commit-time write when the
    post is saved, before the service publishes: that Redis round trip came first, a
    millisecond of every event's delay (docs/speed.md). Django keeps the callbacks in a list,
    each with the savepoints it was registered under; the entry Django made is moved,
    unchanged, so a rolled-back savepoint still drops it. It never moves past a callback of
    another savepoint: those of a block that ended before this one stay ahead of it (and a
    test's captureOnCommitCallbacks, which takes the list from where it began, sees it)."""
    connection = transaction.get_connection(using)
    transaction.on_commit(_Ahead(func), using=using)  # Django's checks, and at once outside one
    hooks = getattr(connection, "run_on_commit", None)
    if not connection.in_atomic_block or not isinstance(hooks, list) or not hooks:
        return
    entry = hooks.pop()
    savepoints = _real(entry[0])
    place = len(hooks)
    while place and _movable(hooks[place - 1], savepoints):
        place -= 1
    hooks.insert(place, entry)


def _movable(hook, savepoints: set) -> bool:
    """An entry an event may go ahead of: not another event, and of the same savepoint."""
    sids, func, _robust = hook
    return not isinstance(func, _Ahead) and _real(sids) == savepoints


def _real(savepoint_ids: set) -> set:
    # A block entered with atomic(savepoint=False) is recorded as None: no savepoint of its own.
    return savepoint_ids - {None}
