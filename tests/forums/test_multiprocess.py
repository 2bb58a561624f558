"""Two daphne workers on PostgreSQL + Redis, a real WebSocket client on each (issue 4, "Real
components"): a post made over HTTP through worker A reaches the reader on worker B live; when
B's worker is killed, its reader reconnects to A, catches up, and gets exactly what it missed.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both for its second run); skipped
otherwise, since one process on the in-memory layer cannot show anything crossing workers.
"""

import asyncio
import http.client
import json
import os
import secrets
import uuid
from urllib.parse import urlencode

import pytest
from channels.db import database_sync_to_async as db
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.cluster import Cluster, shared_database_url

from .factories import make_group, make_participant, make_thread

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL")
        or not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL: two workers must share both "
        "(CI's second run sets them)",
    ),
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 10  # seconds for anything to arrive; generous, the machine is shared


@pytest.fixture
def cluster(transactional_db):
    with Cluster(
        2,
        database_url=shared_database_url(),
        redis_url=os.environ["REDIS_URL"],
        # rate-limit counters live in Redis: keep ours apart from other runs
        cache_key_prefix=f"mp-{uuid.uuid4().hex[:8]}",
    ) as running:
        yield running


def _world():
    group = make_group()  # open, post-moderated: replies are published at once
    authors = [make_participant(group.forum) for _ in range(2)]
    thread = make_thread(group, authors[0])
    reader = make_participant(group.forum)
    sessions = {}
    for user in [*authors, reader]:
        client = Client()
        client.force_login(user)
        sessions[user.pk] = client.cookies["sessionid"].value
    return group, thread, [sessions[a.pk] for a in authors], sessions[reader.pk]


def post_reply(worker, group, thread, session: str, body: str) -> int:
    """A reply over plain HTTP, as the form without JavaScript sends it."""
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret, cookie and field alike
    conn = http.client.HTTPConnection("127.0.0.1", worker.port, timeout=TIMEOUT)
    try:
        conn.request(
            "POST",
            f"/en/forums/groups/{group.pk}/threads/{thread.pk}/reply/",
            body=urlencode({"body": body, "csrfmiddlewaretoken": token}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={token}",
                "Origin": worker.base_url,
                "Referer": worker.base_url + "/",
            },
        )
        status = conn.getresponse().status
    finally:
        conn.close()
    assert status in (302, 303), f"reply refused with HTTP {status}"
    return status


async def open_reader(worker, group, session: str):
    return await connect(
        f"{worker.ws_url}/ws/forums/groups/{group.pk}/",
        origin=worker.base_url,
        additional_headers={"Cookie": f"sessionid={session}"},
        open_timeout=TIMEOUT,
    )


async def next_event(socket) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT))


async def catch_up(socket, after: int) -> list[dict]:
    await socket.send(json.dumps({"type": "catch_up", "after": after}))
    received = []
    while True:
        event = await next_event(socket)
        received.append(event)
        if event["type"] in ("caught_up", "reload"):
            return received


async def nothing_more(socket, seconds: float = 1.0) -> bool:
    try:
        extra = await asyncio.wait_for(socket.recv(), seconds)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected extra message: {extra}")


async def test_a_post_through_one_worker_reaches_the_other_and_a_dropped_reader_catches_up(
    cluster,
):
    a, b = cluster.workers
    group, thread, authors, reader = await db(_world)()
    reply = db(post_reply)

    on_a = await open_reader(a, group, reader)
    on_b = await open_reader(b, group, reader)
    start = (await catch_up(on_a, 0))[-1]["seq"]
    assert (await catch_up(on_b, 0))[-1] == {"type": "caught_up", "seq": start}

    # Posted through A, delivered live on B (and on A), through Redis.
    await reply(a, group, thread, authors[0], "Art. 23.2: consult the public.")
    seen_on_b = await next_event(on_b)
    assert seen_on_b["type"] == "post.created" and seen_on_b["seq"] == start + 1
    assert "Art. 23.2" in seen_on_b["post"]["body"]
    assert (await next_event(on_a))["seq"] == start + 1

    # B's worker dies: its reader loses the connection, no close frame.
    cluster.kill(1)
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(on_b.recv(), TIMEOUT)

    # Meanwhile three more posts go through A (two authors: below the posting rate).
    bodies = ["第二十三条：公众参与。", "Missed two.", "Missed three."]
    for n, body in enumerate(bodies):
        await reply(a, group, thread, authors[n % 2], body)
    live_on_a = [(await next_event(on_a))["seq"] for _ in bodies]
    assert live_on_a == [start + 2, start + 3, start + 4]

    # The reader reconnects to A and asks for everything after the last number it saw.
    again = await open_reader(a, group, reader)
    replay = await catch_up(again, seen_on_b["seq"])
    missed, done = replay[:-1], replay[-1]
    assert [event["seq"] for event in missed] == [start + 2, start + 3, start + 4]
    assert [event["type"] for event in missed] == ["post.created"] * 3
    assert "第二十三条" in missed[0]["post"]["body"]
    assert done == {"type": "caught_up", "seq": start + 4}
    assert await nothing_more(again)  # nothing twice

    # And it is live again: the next post arrives once.
    await reply(a, group, thread, authors[1], "Back live.")
    assert (await next_event(again))["seq"] == start + 5
    assert await nothing_more(again, 0.5)
    for socket in (on_a, again):
        await socket.close()
