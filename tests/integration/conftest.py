"""The production topology for the integration tests: deploy/local-cluster's nginx in front of
two daphne workers, on the PostgreSQL test database and on a Redis of the tests' own (so that
it can be restarted without touching the machine's shared one).

`make integration` runs these on the local PostgreSQL; they are skipped on SQLite.
"""

import asyncio
import http.client
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect

from deploy.local_cluster import LocalCluster
from tests.cluster import PrivateRedis, free_port, shared_database_url

TIMEOUT = 15  # seconds for anything to arrive; generous, the machine is shared


@pytest.fixture(scope="session")
def private_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.kill()


@pytest.fixture(scope="session")
def cluster(django_db_setup, django_db_blocker, private_redis, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("the cluster's workers share one database: run with a PostgreSQL DATABASE_URL")
    running = LocalCluster(
        workers_count=2,
        port=free_port(),
        state=tmp_path_factory.mktemp("cluster"),
        database_url=shared_database_url(),
        redis_url=private_redis.url,
        settings_module="tests.integration.cluster_settings",
        extra_env={
            # Sessions made here (force_login) are signed with the tests' key.
            "SECRET_KEY": settings.SECRET_KEY,
            # The tests post faster than a person may.
            "FORUMS_POST_RATE": "100000/60",
            "CONSULTATIONS_COMMENT_RATE": "100000/60",
        },
    )
    with django_db_blocker.unblock():
        running.start()
    yield running
    running.stop()


@pytest.fixture
def all_workers_up(cluster):
    """Whatever a test killed, the next one starts with every worker running; and the test's
    database is emptied only once the workers are done with it."""
    yield cluster
    for worker in cluster.workers:
        cluster.start_worker(worker.index)
    wait_for_quiet_database()


def wait_for_quiet_database(quiet_for: float = 0.5) -> None:
    """Wait until no other connection to the test database has been busy for `quiet_for`
    seconds. The workers finish what follows an answer (search entries, campaigns, receipts)
    on a thread of their own after the test has read its answers; the flush that ends a
    transactional test takes every table's lock and would deadlock with that work."""
    deadline = time.monotonic() + TIMEOUT
    quiet_since = None
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                " AND state <> 'idle'"
            )
            busy = cursor.fetchone()[0]
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= quiet_for:
            return
        time.sleep(0.05)
    pytest.fail(f"the workers were still writing to the database after {TIMEOUT} s")


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@dataclass
class Answer:
    status: int
    headers: dict
    body: str


def post_form(cluster, path: str, data: dict, session: str) -> Answer:
    """A form POST through the proxy, as a browser without JavaScript sends it."""
    token = secrets.token_hex(16)  # a CSRF secret: cookie and field alike
    conn = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=TIMEOUT)
    try:
        conn.request(
            "POST",
            path,
            body=urlencode({**data, "csrfmiddlewaretoken": token}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={token}",
                "Origin": cluster.base_url,
                "Referer": cluster.base_url + "/",
            },
        )
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return Answer(response.status, dict(response.getheaders()), body)
    finally:
        conn.close()


def get(cluster, path: str) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read().decode("latin-1")
        return Answer(response.status, dict(response.getheaders()), body)
    finally:
        conn.close()


def worker_of(headers) -> int:
    """Which worker answered, from the local cluster's X-Upstream header (its socket's name)."""
    upstream = headers.get("X-Upstream") or headers.get("x-upstream") or ""
    name = upstream.rsplit("/", 1)[-1]  # worker-2.sock
    return int(name.removeprefix("worker-").removesuffix(".sock"))


async def open_reader(cluster, path: str, session: str):
    socket = await connect(
        f"{cluster.ws_url}{path}",
        origin=cluster.base_url,
        additional_headers={"Cookie": f"sessionid={session}"},
        open_timeout=TIMEOUT,
    )
    return socket, worker_of(socket.response.headers)


async def readers_on_each_worker(cluster, path: str, session: str) -> dict[int, object]:
    """Connect through the proxy until a reader sits on each worker (nginx picks, we keep)."""
    placed, spare = {}, []
    for _ in range(20):
        socket, worker = await open_reader(cluster, path, session)
        if worker in placed:
            spare.append(socket)
        else:
            placed[worker] = socket
        if len(placed) == len(cluster.workers):
            break
    for socket in spare:
        await socket.close()
    assert len(placed) == len(cluster.workers), f"nginx placed readers only on {set(placed)}"
    return placed


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


def new_token() -> str:
    return str(uuid.uuid4())
