"""Sockets are re-authorised on every worker (issue 11, finding 2): a moderator's sockets on two
daphne processes sharing PostgreSQL and a Redis of the test's own. Removed as the group's
moderator, both stop receiving moderators' events at once; signed out, both close with 4401.

Runs in CI's PostgreSQL + Redis step; skipped on SQLite (the workers need one database they
all see) and where there is no redis-server binary.
"""

import asyncio
import json
import os
import shutil

import pytest
from channels.db import database_sync_to_async as db
from django.db import connection
from django.test import Client
from django.urls import reverse
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.moderation import ModerationStatus
from forums import services
from forums.models import ModerationMode
from tests.cluster import REPO_ROOT, Cluster, PrivateRedis, shared_database_url

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.django_db(transaction=True),
]
TIMEOUT = 15


@pytest.fixture
def cluster(settings):
    if connection.vendor != "postgresql":
        pytest.skip("two workers share one database: run with a PostgreSQL DATABASE_URL")
    redis = PrivateRedis()
    redis.start()
    # This process publishes on the workers' Redis, as a third worker would.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis.url]},
        }
    }
    workers = Cluster(
        2,
        database_url=shared_database_url(),
        redis_url=redis.url,
        cache_key_prefix="reauth-test",
        extra_env={
            "SECRET_KEY": settings.SECRET_KEY,  # sessions made here verify on the workers
            "LOG_LEVEL": "ERROR",
            # This checkout's code, whichever checkout the virtualenv was installed from.
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "platform")]),
        },
    )
    try:
        with workers:
            yield workers
    finally:
        redis.kill()


async def _open(worker, path, session):
    return await connect(
        f"{worker.ws_url}{path}",
        origin=worker.base_url,
        additional_headers={"Cookie": f"sessionid={session}"},
        open_timeout=TIMEOUT,
    )


async def _next(socket, timeout=TIMEOUT) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


async def _catch_up(socket) -> None:
    await socket.send(json.dumps({"type": "catch_up", "after": 0}))
    while (await _next(socket))["type"] != "caught_up":
        pass


async def _quiet(socket, seconds=1.5) -> list[dict]:
    seen = []
    try:
        while True:
            seen.append(await _next(socket, seconds))
    except TimeoutError:
        return seen


@pytest.mark.asyncio
async def test_demotion_and_logout_reach_the_users_sockets_on_every_worker(cluster):
    def world():
        group = make_group(mode=ModerationMode.PRE)
        moderator = make_moderator(group)
        author = make_participant(group.forum)
        client = Client()
        client.force_login(moderator)
        return {
            "group": group,
            "moderator": moderator,
            "thread": make_thread(group, author),
            "author": author,
            "client": client,
            "session": client.cookies["sessionid"].value,
        }

    w = await db(world)()
    path = f"/ws/forums/groups/{w['group'].pk}/"
    sockets = [await _open(worker, path, w["session"]) for worker in cluster.workers]
    for socket in sockets:
        await _catch_up(socket)

    # A moderator on both workers sees a pending post live.
    await db(services.post_create)(thread=w["thread"], author=w["author"], body="first held")
    for socket in sockets:
        assert (await _next(socket))["type"] == "post.created"
        assert (await _next(socket))["type"] == "queue.changed"

    # Removed as the group's moderator (here; the workers hear it through Redis).
    await db(w["group"].moderators.remove)(w["moderator"])
    for socket in sockets:
        assert (await _next(socket))["type"] == "access.changed"
    await db(services.post_create)(thread=w["thread"], author=w["author"], body="CANARY held")
    for socket in sockets:
        assert "CANARY" not in json.dumps(await _quiet(socket))

    # Still a reader on both: an approved post arrives.
    pending = await db(make_post)(w["thread"], status=ModerationStatus.PENDING, body="approved")
    await db(services.post_approve)(post=pending, actor=await db(make_moderator)(w["group"]))
    for socket in sockets:
        assert (await _next(socket))["type"] == "post.published"

    # Signing out (here, as on any worker) closes that session's sockets on both workers.
    response = await db(w["client"].post)(reverse("account_logout"))
    assert response.status_code == 302
    for socket in sockets:
        with pytest.raises(ConnectionClosed) as closed:
            await _quiet(socket, TIMEOUT)
        assert closed.value.rcvd.code == 4401
