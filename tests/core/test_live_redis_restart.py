"""The hub across a Redis restart, on a private redis-server of its own (never the shared one):
whatever is published while Redis is down is lost by the layer, so the hub's sockets are told
to reconnect and catch up once the feed is back, and live delivery resumes."""

import asyncio
import shutil

import pytest
import pytest_asyncio

from core.live import CLOSE_RESYNC, hub
from tests.cluster import PrivateRedis
from tests.core.live_app import open_socket, publish, receive, unique_room

REDIS_SERVER = shutil.which("redis-server")

pytestmark = [
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server binary"),
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def private_redis(settings):
    redis = PrivateRedis()
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{redis.port}/0"]},
        }
    }
    settings.LIVE_PROBE_SECONDS, settings.LIVE_PROBE_TIMEOUT = 0.2, 0.5
    yield redis
    redis.kill()


@pytest_asyncio.fixture
async def live_hub(private_redis):
    yield hub
    await hub.close()


async def test_after_a_redis_restart_sockets_resync_and_delivery_resumes(private_redis, live_hub):
    room = unique_room()
    socket = await open_socket(room)
    await publish(room, {"type": "post.created", "seq": 1})
    assert (await receive(socket))["seq"] == 1

    private_redis.kill()
    await publish(room, {"type": "post.created", "seq": 2})  # lost: logged, not raised
    await asyncio.sleep(1)
    private_redis.start()

    # The page is told to reconnect and catch up (seq 2 is in the database, not on the wire).
    assert await socket.receive_output(30) == {"type": "websocket.close", "code": CLOSE_RESYNC}

    fresh = await open_socket(room)
    await publish(room, {"type": "post.created", "seq": 3})
    assert (await receive(fresh, timeout=10))["seq"] == 3
    await fresh.disconnect()
