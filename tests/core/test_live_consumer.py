"""LiveConsumer: what a client may send, what it is told, close codes, slow readers, and the
catch-up hold that keeps live events behind the missed ones."""

import functools
import json

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async as db_thread
from channels.testing import WebsocketCommunicator
from django.db import connections

from core.live import CLOSE_FORBIDDEN, CLOSE_TOO_SLOW, CLOSE_UNKNOWN_TARGET, hub
from tests.core.live_app import (
    application,
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


async def assert_still_up(socket):
    await socket.send_json_to({"type": "ping"})
    assert await receive(socket) == {"type": "pong"}


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ("{}", "bad_message"),
        ('{"type": 5}', "bad_message"),
        ('"ping"', "bad_message"),
        (json.dumps({"type": "catch_up", "pad": "x" * 5000}), "too_large"),
        # 1,500 Chinese characters are 4,500 bytes of UTF-8: over the limit in bytes.
        (json.dumps({"type": "x", "body": "议" * 1500}, ensure_ascii=False), "too_large"),
        ('{"type": "drop_tables"}', "unknown_type"),
    ],
)
async def test_a_bad_message_gets_an_error_event_and_the_socket_stays_up(frame, error):
    socket = await open_socket(unique_room())
    await socket.send_to(text_data=frame)
    reply = await receive(socket)
    assert reply["type"] == "error" and reply["error"] == error
    assert reply["message"]
    await assert_still_up(socket)
    await socket.disconnect()


async def test_a_binary_frame_gets_an_error_event():
    socket = await open_socket(unique_room())
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await receive(socket))["error"] == "binary"
    await assert_still_up(socket)
    await socket.disconnect()


async def test_a_flood_of_messages_is_rate_limited_not_served():
    socket = await open_socket(unique_room())
    for _ in range(30):
        await socket.send_json_to({"type": "ping"})
    for _ in range(30):
        assert await receive(socket) == {"type": "pong"}
    await socket.send_json_to({"type": "ping"})
    assert (await receive(socket))["error"] == "rate_limited"
    await socket.disconnect()


@pytest.mark.parametrize(
    ("room", "code"), [("missing-7", CLOSE_UNKNOWN_TARGET), ("secret-7", CLOSE_FORBIDDEN)]
)
async def test_an_unknown_or_forbidden_target_closes_with_a_clear_code(live_hub, room, code):
    socket = WebsocketCommunicator(application, f"/ws/test/{room}/")
    connected, _ = await socket.connect(timeout=5)
    assert connected  # accepted so that the browser sees the close code
    assert await socket.receive_output(5) == {"type": "websocket.close", "code": code}
    assert live_hub.state is None or not live_hub.state.clients


async def test_a_client_too_slow_to_read_is_closed_with_4408(live_hub):
    room = unique_room()
    slow = await open_socket(room, kind="slow")  # queue of 5, 0.2 s per write
    fast = await open_socket(room)
    await publish(room, *({"type": "post.created", "seq": n} for n in range(1, 21)))
    # The fast reader gets everything; the slow one is dropped rather than holding anyone up.
    assert [(await receive(fast))["seq"] for _ in range(20)] == list(range(1, 21))
    outputs = []
    while True:
        message = await slow.receive_output(10)
        outputs.append(message)
        if message["type"] == "websocket.close":
            break
    assert outputs[-1] == {"type": "websocket.close", "code": CLOSE_TOO_SLOW}
    assert len(outputs) < 21
    assert live_hub.local_clients(audience(room)) == 1  # only the fast reader is left
    await fast.disconnect()


async def test_live_events_held_during_catch_up_come_after_it_without_duplicates():
    room = unique_room()
    socket, watcher = await open_socket(room), await open_socket(room)
    await socket.send_json_to({"type": "hold"})
    assert await receive(socket) == {"type": "holding"}
    # While catch-up reads the database, seq 3..5 are published live.
    await publish(room, *({"type": "post.created", "seq": n} for n in (3, 4, 5)))
    await publish(room, {"type": "notice"})  # no seq: always delivered
    for _ in range(4):  # once the watcher has them, the hub has offered them to both sockets
        await receive(watcher)
    # Catch-up sent everything up to 4; release drops what it already covered.
    await socket.send_json_to({"type": "release", "after": 4})
    assert await receive(socket) == {"type": "missed", "seq": 4}
    assert await receive(socket) == {"type": "post.created", "seq": 5}
    assert await receive(socket) == {"type": "notice"}
    await publish(room, {"type": "post.created", "seq": 6})
    assert (await receive(socket))["seq"] == 6
    await socket.disconnect()
    await watcher.disconnect()


async def test_under_daphne_a_reader_with_a_large_unsent_backlog_is_closed_with_4408(live_hub):
    """daphne's send never waits: the consumer watches the bytes its Twisted transport still
    holds for a reader (here a real Twisted FileDescriptor with a 2 MiB backlog)."""
    from twisted.internet.abstract import FileDescriptor

    class Protocol:  # what daphne passes as `partial(server.handle_reply, protocol)`
        transport = FileDescriptor()

    protocol = Protocol()

    async def daphne_like(scope, receive, send):
        async def handle_reply(_protocol, message):
            await send(message)

        await application(scope, receive, functools.partial(handle_reply, protocol))

    room = unique_room()
    socket = WebsocketCommunicator(daphne_like, f"/ws/test/{room}/")
    assert (await socket.connect(timeout=5))[0]
    await publish(room, {"type": "post.created", "seq": 1})
    assert (await receive(socket))["seq"] == 1  # a small backlog: delivered, kept

    protocol.transport.dataBuffer = b"x" * (2 << 20)  # the reader stopped reading
    await publish(room, {"type": "post.created", "seq": 2})
    assert (await receive(socket))["seq"] == 2
    assert await socket.receive_output(5) == {"type": "websocket.close", "code": CLOSE_TOO_SLOW}
    assert live_hub.local_clients(audience(room)) == 0
