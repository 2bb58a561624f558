"""What /health/ checks: the database, the channel layer and the cache, each within a deadline.

Each check answers True (working) or False; none raises, since the health endpoint must answer
whatever is broken. The channel-layer check is a real round trip (send to a channel of this
process and receive it back), the same path live events take.
"""

import asyncio
import logging
import uuid

from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

# Seconds the channel-layer check waits. Well inside a proxy's probe (2 s in deploy/), so that a
# Redis which hangs instead of refusing shows as "degraded" and does not take every worker out.
TIMEOUT = 1.0
PROBE_TYPE = "health.probe"

# One probe channel per event loop, kept for the life of the process: the Redis pub/sub layer
# keeps a subscription for every channel ever created, so a new channel per request would leak.
_probe_channels: dict[asyncio.AbstractEventLoop, tuple[str, asyncio.Lock]] = {}


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("Health: the database does not answer", exc_info=True)
        return False


def check_cache() -> bool:
    # The site's cache treats an absent Redis as a miss, so a failed write shows as a
    # different value read back rather than as an exception.
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        working = cache.get(key) == "ok"
        cache.delete(key)
        return working
    except Exception:
        logger.warning("Health: the cache does not answer", exc_info=True)
        return False


async def check_channel_layer() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(_round_trip(layer), TIMEOUT)
    except BaseException as exc:
        # A receive() cut short unsubscribes the Redis layer from the probe channel, whether it
        # timed out or was cancelled because the prober hung up (Django cancels the view). Kept,
        # the channel's next probe would send before re-subscribing, lose its message and time
        # out, and so would every probe after it: the next one takes a new channel.
        _probe_channels.pop(loop, None)
        if not isinstance(exc, Exception):
            raise
        logger.warning("Health: the channel layer does not answer", exc_info=True)
        return False


async def _round_trip(layer) -> bool:
    loop = asyncio.get_running_loop()
    if loop not in _probe_channels:
        _probe_channels[loop] = (await layer.new_channel("health."), asyncio.Lock())
    channel, lock = _probe_channels[loop]
    nonce = uuid.uuid4().hex
    async with lock:  # one probe at a time, so each reads back its own message
        await layer.send(channel, {"type": PROBE_TYPE, "nonce": nonce})
        while True:  # a late answer to an earlier, timed-out probe is skipped
            message = await layer.receive(channel)
            if message.get("nonce") == nonce:
                return True
