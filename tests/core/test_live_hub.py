"""The per-process hub on the configured channel layer (in-memory by default; RedisPubSub when
REDIS_URL is set): one subscription per audience per process, fan-out to local sockets, leave,
events only after commit, and recovery when the layer loses the subscription."""

import asyncio

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async as db_thread
from channels.layers import get_channel_layer
from django.db import connections

from core.live import CLOSE_RESYNC, hub, live_event
from tests.core.live_app import (
    audience,
    open_socket,
    publish,
    receive,
    unique_room,
)

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_hub"),
]


@pytest_asyncio.fixture
async def live_hub():
    """The hub of this test's event loop, stopped afterwards (each test has its own loop)."""
    yield hub
    await hub.close()
    # publish() ran in the executor thread: close its connection (no session left on PostgreSQL)
    await db_thread(connections.close_all)()


@pytest.fixture
def layer_calls(monkeypatch):
    """Counts the hub's group_add / group_discard calls on the real layer."""
    layer = get_channel_layer()
    calls = {"group_add": [], "group_discard": []}
    for name in calls:
        original = getattr(layer, name)

        async def counted(group, channel, _name=name, _original=original):
            calls[_name].append(group)
            return await _original(group, channel)

        monkeypatch.setattr(layer, name, counted)
    return calls


async def test_one_subscription_per_audience_serves_every_local_socket(live_hub, layer_calls):
    room = unique_room()
    sockets = [await open_socket(room) for _ in range(25)]
    assert layer_calls["group_add"] == [audience(room)]  # one, not 25
    assert live_hub.local_clients(audience(room)) == 25

    await publish(room, {"type": "post.created", "seq": 1, "body": "第十八条"})
    for socket in sockets:
        assert await receive(socket) == {"type": "post.created", "seq": 1, "body": "第十八条"}
    for socket in sockets:
        assert await socket.receive_nothing(timeout=0.05)  # each event once, not twice
        await socket.disconnect()


async def test_events_arrive_in_the_order_they_were_published(live_hub):
    room = unique_room()
    socket = await open_socket(room)
    await publish(room, *({"type": "post.created", "seq": n} for n in range(1, 51)))
    assert [(await receive(socket))["seq"] for _ in range(50)] == list(range(1, 51))
    await socket.disconnect()


async def test_a_socket_receives_only_its_own_audience(live_hub):
    mine, other = unique_room("mine"), unique_room("other")
    reader, outsider = await open_socket(mine), await open_socket(other)
    await publish(mine, {"type": "post.created", "seq": 1})
    await publish(other, {"type": "marker"})
    assert await receive(reader) == {"type": "post.created", "seq": 1}
    # The outsider's first message is its own marker: the other room's post never reached it.
    assert await receive(outsider) == {"type": "marker"}
    await reader.disconnect()
    await outsider.disconnect()


async def test_the_last_socket_to_leave_discards_the_subscription(live_hub, layer_calls):
    room = unique_room()
    first, second = await open_socket(room), await open_socket(room)
    await first.disconnect()
    assert layer_calls["group_discard"] == []  # the second socket still follows the room
    await publish(room, {"type": "post.created", "seq": 1})
    assert (await receive(second))["seq"] == 1
    await second.disconnect()
    assert layer_calls["group_discard"] == [audience(room)]
    assert live_hub.local_clients(audience(room)) == 0

    # Rejoining subscribes again, and events flow again.
    again = await open_socket(room)
    assert layer_calls["group_add"] == [audience(room), audience(room)]
    await publish(room, {"type": "post.created", "seq": 2})
    assert (await receive(again))["seq"] == 2
    await again.disconnect()


async def test_a_crashing_consumer_still_leaves_the_hub(live_hub):
    room = unique_room()
    socket = await open_socket(room)
    await socket.send_json_to({"type": "crash"})
    with pytest.raises(RuntimeError, match="consumer bug"):
        await socket.wait(5)
    assert live_hub.local_clients(audience(room)) == 0


async def test_no_event_is_sent_when_the_transaction_rolls_back(live_hub):
    room = unique_room()
    socket = await open_socket(room)
    await publish(room, {"type": "post.created", "seq": 1}, roll_back=True)
    await publish(room, {"type": "marker"})
    assert await receive(socket) == {"type": "marker"}
    await socket.disconnect()


async def test_the_receive_loop_survives_a_bad_message_on_the_layer(live_hub):
    room = unique_room()
    socket = await open_socket(room)
    layer = get_channel_layer()
    await layer.group_send(audience(room), {"type": "live.event", "audience": audience(room)})
    await layer.group_send(audience(room), {"type": "something.else"})
    await publish(room, {"type": "post.created", "seq": 3})
    assert await receive(socket) == {"type": "post.created", "seq": 3}
    await socket.disconnect()


async def test_a_lost_subscription_is_rebuilt_and_its_sockets_told_to_catch_up(live_hub, settings):
    settings.LIVE_PROBE_SECONDS, settings.LIVE_PROBE_TIMEOUT = 0.1, 0.5
    room = unique_room()
    socket = await open_socket(room)
    state = live_hub.state
    old_channel = state.channel
    await asyncio.sleep(0.3)  # the hub is serving (its receive loop waits on the layer)
    # The layer forgets every channel and group, as after a Redis restart or an expiry.
    await get_channel_layer().flush()
    # The socket that may have missed events is closed with 4503 so that it reconnects.
    closed = await socket.receive_output(10)
    assert closed == {"type": "websocket.close", "code": CLOSE_RESYNC}
    assert state.stats["rebuilds"] >= 1 and state.channel != old_channel
    # A socket that connects afterwards is served by the rebuilt subscription.
    fresh = await open_socket(room)
    await publish(room, {"type": "post.created", "seq": 9})
    assert (await receive(fresh))["seq"] == 9
    await fresh.disconnect()


async def test_live_event_refuses_bad_input_in_the_service():
    with pytest.raises(ValueError):
        live_event("bad group name!", {"type": "x"})
    with pytest.raises(ValueError):
        live_event(audience("r"), {"seq": 1})
    with pytest.raises(TypeError):
        live_event(audience("r"), {"type": "x", "when": object()})


async def test_benchmark_timestamps_only_when_asked(live_hub, settings):
    settings.LIVE_EVENT_TIMESTAMPS = True
    room = unique_room()
    socket = await open_socket(room)
    await publish(room, {"type": "post.created", "seq": 1})
    event = await receive(socket)
    assert isinstance(event["sent_at"], float)
    assert event["committed_at"] >= event["sent_at"]
    await socket.disconnect()


async def test_concurrent_joins_subscribe_once(live_hub, layer_calls):
    room = unique_room()
    sockets = await asyncio.gather(*(open_socket(room) for _ in range(10)))
    assert layer_calls["group_add"] == [audience(room)]
    await publish(room, {"type": "post.created", "seq": 1})
    for socket in sockets:
        assert (await receive(socket))["seq"] == 1
        await socket.disconnect()
