"""The publishing side: `live_event` turns a service's event into one channel-layer message."""

import json
import re
import time

from django.conf import settings

from core.events import on_commit_ahead, publish_on_commit, send_now

# What the hub's channel receives: the audience it was sent to, the JSON text every socket of
# that audience gets (serialised here, once for all workers), and the event's sequence number
# (so a consumer that is catching up can drop live events it already sent).
ENVELOPE_TYPE = "live.event"

_GROUP = re.compile(r"^[a-zA-Z0-9._-]{1,99}$")


def encode(data: dict) -> str:
    """Compact JSON; non-ASCII (Chinese posts) stays as UTF-8, not \\u escapes."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def live_event(audience: str, data: dict) -> None:
    """After the current transaction commits, send `data` to every socket following `audience`
    on every worker (at once outside a transaction; nothing if it rolls back).

    `data` must be a JSON-serialisable dict with a string "type" (forum events carry "seq").
    Bad input is a programming error and raises here, in the service, not later in a callback.
    With the setting LIVE_EVENT_TIMESTAMPS (benchmarks only) the event carries "sent_at", the
    Unix time at which the service published it, inside its transaction just before commit,
    and "committed_at", the time it was handed to the channel layer after the commit.
    """
    if not isinstance(audience, str) or not _GROUP.match(audience):
        raise ValueError(f"Bad live audience {audience!r}: use core.events.group_name().")
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError("A live event is a dict with a string 'type'.")
    stamped = getattr(settings, "LIVE_EVENT_TIMESTAMPS", False)
    if stamped:
        data = {**data, "sent_at": time.time()}
    seq = data.get("seq")
    envelope = {
        "type": ENVELOPE_TYPE,
        "audience": audience,
        "text": encode(data),  # raises TypeError now if data is not serialisable
        "seq": seq if isinstance(seq, int) else None,
    }
    if stamped:
        # And "committed_at", when the committed event is handed to the channel layer: where
        # the fan-out itself starts, as a raw broadcast server's clock starts at its send.
        def send_stamped():
            text = encode({**data, "committed_at": time.time()})
            send_now(audience, {**envelope, "text": text})

        on_commit_ahead(send_stamped)
        return
    publish_on_commit(audience, envelope)
