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
    """Send `event` to `group` once the current transaction commits (at once outside one)."""
    if "type" not in event:
        raise ValueError("A channel-layer event needs a 'type'.")
    transaction.on_commit(lambda: send_now(group, event), using=using)
