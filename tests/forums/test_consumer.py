"""The group socket through the full ASGI stack: catch-up, audiences, bad input."""

import json
from unittest import mock

import pytest
from channels.db import database_sync_to_async as db
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from core.moderation import ModerationStatus
from forums import live, services
from forums.models import EventAudience, ModerationMode

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
ORIGIN = b"http://127.0.0.1:8000"


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def open_socket(group_id, user=None, origin=ORIGIN):
    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if user is not None:
        headers.append((b"cookie", f"sessionid={await db(_session)(user)}".encode()))
    socket = WebsocketCommunicator(application, f"/ws/forums/groups/{group_id}/", headers=headers)
    connected, code = await socket.connect()
    return socket, connected, code


async def receive(socket):
    return json.loads(await socket.receive_from(timeout=5))


async def catch_up(socket, after):
    """Send catch_up and collect everything up to caught_up (or reload)."""
    await socket.send_to(text_data=json.dumps({"type": "catch_up", "after": after}))
    received = []
    while True:
        message = await receive(socket)
        received.append(message)
        if message["type"] in ("caught_up", "reload"):
            return received


def _world(mode=ModerationMode.POST):
    group = make_group(mode=mode)
    author = make_participant(group.forum)
    return group, author, make_thread(group, author)


async def test_a_reconnecting_client_receives_exactly_what_it_missed_in_order():
    group, author, thread = await db(_world)()
    socket, connected, _code = await open_socket(group.pk)
    assert connected
    assert await catch_up(socket, 0) == [{"type": "caught_up", "seq": 0}]
    for n in range(2):
        await db(services.post_create)(thread=thread, author=author, body=f"live {n}")
    seen = [await receive(socket) for _ in range(2)]
    assert [m["seq"] for m in seen] == [1, 2]
    assert seen[0]["post"]["body"] == "<p>live 0</p>"
    await socket.disconnect()  # the connection drops after k = 2 events

    for n in range(3):
        await db(services.post_create)(thread=thread, author=author, body=f"missed {n}")
    socket, _connected, _code = await open_socket(group.pk)
    replay = await catch_up(socket, seen[-1]["seq"])
    assert [m["seq"] for m in replay[:-1]] == [3, 4, 5]
    assert [m["post"]["body"] for m in replay[:-1]] == [f"<p>missed {n}</p>" for n in range(3)]
    assert replay[-1] == {"type": "caught_up", "seq": 5}
    assert await socket.receive_nothing(timeout=0.3)  # no duplicates
    await socket.disconnect()


async def test_an_event_the_channel_layer_lost_is_recovered_from_the_log():
    group, author, thread = await db(_world)()
    socket, _c, _code = await open_socket(group.pk)
    await catch_up(socket, 0)
    with mock.patch.object(live, "live_event"):  # the layer drops this one
        lost = await db(services.post_create)(thread=thread, author=author, body="lost")
    assert await socket.receive_nothing(timeout=0.3)
    await db(services.post_create)(thread=thread, author=author, body="next")
    nxt = await receive(socket)
    # The next public event names the one before it: the client sees the gap and asks.
    assert nxt["prev"] == 1 and nxt["seq"] == 2
    replay = await catch_up(socket, 0)
    assert [m["post"]["id"] for m in replay[:-1]] == [lost.pk, nxt["post"]["id"]]
    await socket.disconnect()


async def test_pending_posts_reach_only_the_moderators_and_their_author():
    def world():
        group, author, thread = _world(ModerationMode.PRE)
        return {
            "group": group,
            "thread": thread,
            "author": author,
            "moderator": make_moderator(group),
            "other": make_participant(group.forum),
            "elsewhere": make_moderator(make_group(forum=group.forum)),
        }

    w = await db(world)()
    sockets = {"anonymous": (await open_socket(w["group"].pk))[0]}
    for name in ("author", "moderator", "other", "elsewhere"):
        sockets[name] = (await open_socket(w["group"].pk, w[name]))[0]
    for socket in sockets.values():
        await catch_up(socket, 0)

    post = await db(services.post_create)(thread=w["thread"], author=w["author"], body="held")
    assert (await receive(sockets["author"]))["type"] == "post.created"
    moderator_sees = [await receive(sockets["moderator"]) for _ in range(2)]
    assert [m["type"] for m in moderator_sees] == ["post.created", "queue.changed"]
    assert moderator_sees[0]["post"]["status"] == "pending"
    for name in ("anonymous", "other", "elsewhere"):
        assert await sockets[name].receive_nothing(timeout=0.2), name
    assert await sockets["author"].receive_nothing(timeout=0.1)  # not the moderators' counts

    # A newcomer catching up sees no pending post either.
    late, _c, _code = await open_socket(w["group"].pk)
    assert await catch_up(late, 0) == [{"type": "caught_up", "seq": 2}]

    await db(services.post_approve)(post=post, actor=w["moderator"])
    for name in ("anonymous", "other", "elsewhere", "author", "late"):
        socket = late if name == "late" else sockets[name]
        message = await receive(socket)
        assert (message["type"], message["post"]["body"]) == ("post.published", "<p>held</p>")
    for socket in [*sockets.values(), late]:
        await socket.disconnect()


async def test_hidden_posts_reach_sockets_without_their_text():
    group, author, thread = await db(_world)()
    moderator = await db(make_moderator)(group)
    socket, _c, _code = await open_socket(group.pk)
    await catch_up(socket, 0)
    post = await db(make_post)(thread, author, body="insulting words")
    await db(services.post_hide)(post=post, actor=moderator, reason_code="abusive")
    message = await receive(socket)
    assert message["type"] == "post.hidden"
    assert "insulting" not in json.dumps(message)
    await socket.disconnect()


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '"catch_up"', json.dumps({"after": 1}), json.dumps({"type": 7}), "x" * 5000],
)
async def test_malformed_or_oversized_messages_get_an_error_and_the_socket_stays_up(text):
    group, _author, _thread = await db(_world)()
    socket, _c, _code = await open_socket(group.pk)
    await socket.send_to(text_data=text)
    assert (await receive(socket))["type"] == "error"
    assert (await catch_up(socket, 0))[-1]["type"] == "caught_up"
    await socket.disconnect()


@pytest.mark.parametrize("after", [-1, "3", True, 1.5, None, 2**64])
async def test_a_bad_catch_up_number_is_an_error_not_a_crash(after):
    group, _author, _thread = await db(_world)()
    socket, _c, _code = await open_socket(group.pk)
    await socket.send_to(text_data=json.dumps({"type": "catch_up", "after": after}))
    message = await receive(socket)
    assert (message["type"], message["error"]) == ("error", "bad_after")
    await socket.disconnect()


async def test_binary_frames_and_unknown_types_get_errors():
    group, _author, _thread = await db(_world)()
    socket, _c, _code = await open_socket(group.pk)
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await receive(socket))["type"] == "error"
    await socket.send_to(text_data=json.dumps({"type": "post", "body": "via socket?"}))
    assert (await receive(socket))["error"] == "unknown_type"
    await socket.disconnect()


async def test_an_unknown_group_closes_the_socket_with_4404():
    socket, connected, _code = await open_socket(999_999)
    # Accepted, then closed: a browser sees the code only on an accepted socket.
    assert connected
    assert await socket.receive_output(5) == {"type": "websocket.close", "code": 4404}


async def test_a_cross_origin_socket_is_refused():
    group, _author, _thread = await db(_world)()
    _socket, connected, _code = await open_socket(group.pk, origin=b"https://evil.example")
    assert not connected


async def test_too_many_missed_events_tell_the_client_to_reload():
    def flood():
        group = make_group()
        for n in range(live.CATCH_UP_LIMIT + 1):
            live.event_emit(
                group=group, type="queue.changed", audience=EventAudience.PUBLIC, data={"n": n}
            )
        return group

    group = await db(flood)()
    socket, _c, _code = await open_socket(group.pk)
    assert await catch_up(socket, 0) == [{"type": "reload", "seq": live.CATCH_UP_LIMIT + 1}]
    assert (await catch_up(socket, 1))[-1] == {"type": "caught_up", "seq": 201}
    await socket.disconnect()


async def test_author_sees_own_rejection_live_with_its_status():
    group, author, thread = await db(_world)(ModerationMode.PRE)
    moderator = await db(make_moderator)(group)
    post = await db(make_post)(thread, author, status=ModerationStatus.PENDING)
    socket, _c, _code = await open_socket(group.pk, author)
    await catch_up(socket, 0)
    await db(services.post_reject)(post=post, actor=moderator, reason_code="spam")
    message = await receive(socket)
    assert (message["type"], message["post"]["status"]) == ("post.rejected", "rejected")
    await socket.disconnect()
