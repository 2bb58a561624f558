"""The group socket asks the visibility policy at read time and is re-authorised (issue 11):
catch-up sends each post's current state, never the payload as first emitted; a demoted,
signed-out or deactivated user's open sockets downgrade or close; floods, unrouted paths and
foreign origins are closed cleanly. Through the full ASGI stack, with WebsocketCommunicator."""

import json
from unittest import mock

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async as db
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from config.asgi import application
from core.live import hub
from core.moderation import ModerationStatus
from forums import services
from forums.models import ModerationMode, RegistrationStatus
from tests.accounts.factories import deactivate_in_bulk

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_hub"),
]
ORIGIN = b"http://127.0.0.1:8000"
HOST = b"127.0.0.1:8000"

CLOSE_SIGNED_OUT = 4401
CLOSE_PROTOCOL = 4400
CLOSE_TOO_MANY = 4429
CLOSE_UNKNOWN = 4404


@pytest_asyncio.fixture
async def live_hub():
    yield hub
    await hub.close()
    await db(connections.close_all)()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def open_socket(
    path, client: Client | None = None, *, origin=ORIGIN, host=HOST, address=None
):
    headers = [(b"origin", origin), (b"host", host)]
    if client is not None:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    socket = WebsocketCommunicator(application, path, headers=headers)
    if address is not None:
        socket.scope["client"] = (address, 50000)
    connected, _code = await socket.connect(timeout=5)
    return socket, connected


async def group_socket(group, client=None, **kwargs):
    socket, connected = await open_socket(f"/ws/forums/groups/{group.pk}/", client, **kwargs)
    assert connected
    return socket


async def receive(socket, timeout=5):
    return json.loads(await socket.receive_from(timeout=timeout))


async def catch_up(socket, after=0):
    await socket.send_to(text_data=json.dumps({"type": "catch_up", "after": after}))
    received = []
    while True:
        message = await receive(socket)
        received.append(message)
        if message["type"] in ("caught_up", "reload"):
            return received


async def closed_with(socket, timeout=5) -> int:
    """The close code, skipping whatever text frames come before it."""
    while True:
        output = await socket.receive_output(timeout)
        if output["type"] == "websocket.close":
            return output["code"]


async def nothing_but(socket, allowed=("access.changed",), timeout=0.5) -> list[dict]:
    """Everything that arrives within `timeout`; each must be of an allowed type."""
    seen = []
    while not await socket.receive_nothing(timeout=timeout):
        message = await receive(socket)
        assert message["type"] in allowed, message
        seen.append(message)
    return seen


# --- finding 1: catch-up is the current state -------------------------------------------------


async def test_catch_up_never_replays_the_text_of_a_post_hidden_since():
    def world():
        group = make_group(mode=ModerationMode.POST)
        author = make_participant(group.forum)
        thread = make_thread(group, author)
        moderator = make_moderator(group)
        post = services.post_create(
            thread=thread, author=author, body="CANARY my phone is +254 700 000 000"
        )
        services.post_hide(post=post, actor=moderator, reason_code="personal_data")
        return group, post, author, moderator

    group, post, author, moderator = await db(world)()
    reader = await db(make_participant)(group.forum)
    for client in (None, await db(signed_in)(reader), await db(signed_in)(author)):
        socket = await group_socket(group, client)
        replay = await catch_up(socket, 0)
        assert "CANARY" not in json.dumps(replay)
        about_post = [m for m in replay if m.get("post", {}).get("id") == post.pk]
        assert about_post and all(m["post"]["status"] == "hidden" for m in about_post)
        await socket.disconnect()
    # The group's moderators still read it (to judge an appeal).
    socket = await group_socket(group, await db(signed_in)(moderator))
    assert "CANARY" in json.dumps(await catch_up(socket, 0))
    await socket.disconnect()


async def test_catch_up_never_replays_a_quote_of_a_post_hidden_since():
    def world():
        group = make_group(mode=ModerationMode.POST)
        author = make_participant(group.forum)
        thread = make_thread(group, author)
        quoted = services.post_create(thread=thread, author=author, body="CANARY quoted words")
        services.post_create(
            thread=thread,
            author=make_participant(group.forum),
            body="A reply",
            reply_to=quoted,
            quote="CANARY quoted words",
        )
        services.post_hide(post=quoted, actor=make_moderator(group), reason_code="abusive")
        return group

    group = await db(world)()
    socket = await group_socket(group)
    replay = await catch_up(socket, 0)
    assert "A reply" in json.dumps(replay) and "CANARY" not in json.dumps(replay)
    await socket.disconnect()


async def test_the_author_catching_up_gets_the_approved_text_not_the_pre_edit_one():
    def world():
        group = make_group(mode=ModerationMode.PRE)
        author = make_participant(group.forum)
        thread = make_thread(group)
        post = services.post_create(thread=thread, author=author, body="CANARY original text")
        services.post_approve(
            post=post, actor=make_moderator(group), body="The approved text", note="shortened"
        )
        return group, author

    group, author = await db(world)()
    socket = await group_socket(group, await db(signed_in)(author))
    replay = json.dumps(await catch_up(socket, 0))
    assert "The approved text" in replay and "CANARY" not in replay
    await socket.disconnect()


async def test_a_public_event_the_viewer_may_no_longer_see_keeps_the_sequence_unbroken():
    """Catch-up sends a placeholder event in its place: the client's gap detection (`prev`)
    must not loop asking for it again."""

    def world():
        group = make_group(mode=ModerationMode.POST)
        thread = make_thread(group)
        post = services.post_create(thread=thread, author=thread.author, body="Soon gone")
        services.post_create(thread=thread, author=thread.author, body="Stays")
        post.delete()  # e.g. an account's content erased
        return group

    group = await db(world)()
    socket = await group_socket(group)
    replay = await catch_up(socket, 0)
    assert [m["seq"] for m in replay[:-1]] == [1, 2]
    assert replay[1]["prev"] == 1 and "Soon gone" not in json.dumps(replay)
    await socket.disconnect()


# --- finding 2: sockets are re-authorised ----------------------------------------------------


def _moderated_world():
    group = make_group(mode=ModerationMode.PRE)
    moderator = make_moderator(group)
    author = make_participant(group.forum)
    thread = make_thread(group, author)
    return {"group": group, "moderator": moderator, "author": author, "thread": thread}


async def _assert_no_moderator_events(socket, w):
    await db(services.post_create)(thread=w["thread"], author=w["author"], body="CANARY pending")
    assert "CANARY" not in json.dumps(await nothing_but(socket, allowed=("access.changed",)))


async def test_a_moderator_removed_from_the_group_stops_receiving_moderator_events():
    w = await db(_moderated_world)()
    socket = await group_socket(w["group"], await db(signed_in)(w["moderator"]))
    await catch_up(socket, 0)
    await db(w["group"].moderators.remove)(w["moderator"])
    assert (await receive(socket))["type"] == "access.changed"
    await _assert_no_moderator_events(socket, w)
    # Still a reader: public events keep coming.
    pending = await db(make_post)(w["thread"], status=ModerationStatus.PENDING)
    await db(services.post_approve)(post=pending, actor=await db(make_moderator)(w["group"]))
    message = await receive(socket)
    assert message["type"] == "post.published"
    await socket.disconnect()


async def test_a_demoted_moderators_catch_up_follows_their_current_rights():
    w = await db(_moderated_world)()
    socket = await group_socket(w["group"], await db(signed_in)(w["moderator"]))
    await catch_up(socket, 0)
    with mock.patch("core.live.control.publish_on_commit"):  # the control message is lost
        await db(w["group"].moderators.remove)(w["moderator"])
    await db(services.post_create)(thread=w["thread"], author=w["author"], body="CANARY pending")
    await nothing_but(socket, allowed=("post.created", "queue.changed"))  # the stale live feed
    replay = await catch_up(socket, 0)
    assert "CANARY" not in json.dumps(replay)
    await socket.disconnect()


async def test_a_superuser_who_loses_the_flag_is_downgraded():
    def world():
        w = _moderated_world()
        w["admin"] = make_participant()
        w["admin"].is_superuser = True
        w["admin"].save()
        return w

    w = await db(world)()
    socket = await group_socket(w["group"], await db(signed_in)(w["admin"]))
    await catch_up(socket, 0)

    def demote():
        w["admin"].is_superuser = False
        w["admin"].save()

    await db(demote)()
    assert (await receive(socket))["type"] == "access.changed"
    await _assert_no_moderator_events(socket, w)
    await socket.disconnect()


async def test_a_change_of_roles_re_checks_the_users_sockets():
    """The Moderators role, given or taken in the Wagtail admin, reaches the person's sockets
    (each re-checks its rights; a forum moderator is named per group)."""
    user = await db(make_participant)()
    with mock.patch("core.live.control.publish_on_commit") as publish:
        from accounts.services import user_set_roles

        await db(user_set_roles)(user=user, roles=[Role.MODERATORS])
        await db(user_set_roles)(user=user, roles=[])
    audiences = [call.args[0] for call in publish.call_args_list]
    assert audiences.count(f"live.control.{user.pk}") >= 2


async def test_logging_out_closes_that_sessions_sockets_and_no_other():
    w = await db(_moderated_world)()
    leaving, staying = await db(signed_in)(w["moderator"]), await db(signed_in)(w["moderator"])
    closing_socket = await group_socket(w["group"], leaving)
    other_socket = await group_socket(w["group"], staying)
    await catch_up(closing_socket, 0)
    await catch_up(other_socket, 0)
    response = await db(leaving.post)(reverse("account_logout"))
    assert response.status_code == 302
    assert await closed_with(closing_socket) == CLOSE_SIGNED_OUT
    # The same person's other session is still signed in: its socket is still a moderator's.
    await db(services.post_create)(thread=w["thread"], author=w["author"], body="held")
    assert (await receive(other_socket))["type"] == "post.created"
    await other_socket.disconnect()


async def test_deactivating_an_account_closes_its_sockets():
    w = await db(_moderated_world)()
    socket = await group_socket(w["group"], await db(signed_in)(w["moderator"]))
    await catch_up(socket, 0)

    def deactivate():
        w["moderator"].is_active = False
        w["moderator"].save()

    await db(deactivate)()
    assert await closed_with(socket) == CLOSE_SIGNED_OUT


async def test_deactivating_accounts_in_bulk_in_the_admin_closes_their_sockets():
    # Wagtail's bulk action is one UPDATE, no model signal (accounts/wagtail_hooks.py).
    w = await db(_moderated_world)()
    socket = await group_socket(w["group"], await db(signed_in)(w["moderator"]))
    await catch_up(socket, 0)
    assert (await db(deactivate_in_bulk)(w["moderator"])).status_code == 302
    assert await closed_with(socket) == CLOSE_SIGNED_OUT


async def test_a_declined_or_revoked_registration_reaches_the_socket():
    def world():
        group = make_group()
        person = make_participant(group.forum)
        return group, person

    group, person = await db(world)()
    socket = await group_socket(group, await db(signed_in)(person))
    await catch_up(socket, 0)

    def decline():
        registration = person.forum_registrations.get()
        registration.status = RegistrationStatus.DECLINED
        registration.save()

    await db(decline)()
    assert (await receive(socket))["type"] == "access.changed"
    await db(lambda: person.forum_registrations.all().delete())()
    assert (await receive(socket))["type"] == "access.changed"
    await socket.disconnect()


async def test_the_periodic_re_check_downgrades_a_socket_whose_control_message_was_lost(settings):
    settings.LIVE_REAUTH_SECONDS = 0.2
    w = await db(_moderated_world)()
    socket = await group_socket(w["group"], await db(signed_in)(w["moderator"]))
    await catch_up(socket, 0)
    with mock.patch("core.live.control.publish_on_commit"):
        await db(w["group"].moderators.remove)(w["moderator"])
    assert (await receive(socket, timeout=5))["type"] == "access.changed"
    await _assert_no_moderator_events(socket, w)
    await socket.disconnect()


# --- finding 11: floods -----------------------------------------------------------------------


async def test_repeated_protocol_violations_close_the_socket(settings):
    settings.LIVE_MAX_VIOLATIONS = 5
    group = await db(make_group)()
    socket = await group_socket(group)
    for _ in range(5):
        await socket.send_to(text_data="not json")
        assert (await receive(socket))["type"] == "error"
    await socket.send_to(text_data="not json")
    assert await closed_with(socket) == CLOSE_PROTOCOL


async def test_sockets_per_session_are_capped_on_each_worker(settings):
    settings.LIVE_MAX_SOCKETS_PER_SESSION = 2
    group = await db(make_group)()
    client = await db(signed_in)(await db(make_participant)(group.forum))
    first, second = await group_socket(group, client), await group_socket(group, client)
    third = await group_socket(group, client)
    assert await closed_with(third) == CLOSE_TOO_MANY
    await first.disconnect()
    again = await group_socket(group, client)  # a slot is free again
    await catch_up(again, 0)
    await again.disconnect()
    await second.disconnect()


async def test_sockets_per_client_address_are_capped_on_each_worker(settings):
    settings.LIVE_MAX_SOCKETS_PER_ADDRESS = 3
    group = await db(make_group)()
    sockets = [await group_socket(group, address="203.0.113.9") for _ in range(3)]
    extra = await group_socket(group, address="203.0.113.9")
    assert await closed_with(extra) == CLOSE_TOO_MANY
    elsewhere = await group_socket(group, address="198.51.100.1")
    await catch_up(elsewhere, 0)
    for socket in [*sockets, elsewhere]:
        await socket.disconnect()


# --- finding 12: unrouted and malformed paths -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/ws/nothing/",
        "/ws/forums/groups/-1/",
        "/ws/forums/groups/abc/",
        "/ws/forums/groups/999999/",
        "/ws/forums/groups/99999999999999999999999999/",
        "/ws/",
    ],
)
async def test_unrouted_or_unknown_paths_close_the_handshake_cleanly(path):
    socket, connected = await open_socket(path)
    assert connected  # accepted so that the browser sees the code
    assert await closed_with(socket) == CLOSE_UNKNOWN


# --- finding 19: the full origin --------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        b"http://127.0.0.1:9999",
        b"https://127.0.0.1:8000",
        b"http://127.0.0.1",
        b"null",
        b"http://evil.example:8000",
    ],
)
async def test_an_origin_differing_in_scheme_host_or_port_is_refused(origin):
    group = await db(make_group)()
    _socket, connected = await open_socket(f"/ws/forums/groups/{group.pk}/", origin=origin)
    assert not connected


async def test_a_trusted_origin_on_another_host_is_accepted(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://forum.example.org"]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "forum.example.org"]
    group = await db(make_group)()
    socket, connected = await open_socket(
        f"/ws/forums/groups/{group.pk}/", origin=b"https://forum.example.org"
    )
    assert connected
    await socket.disconnect()
