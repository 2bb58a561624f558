"""The production topology, tested through nginx with two workers (issue 6): live posts reach
readers on both workers; a killed worker's reader reconnects through the proxy and catches up
with nothing lost or twice; comments sent while workers restart are stored exactly once or
refused with a message; a Redis restart mid-round costs nothing; the proxy serves static files
and, while no worker answers, a page in the reader's language.
"""

import asyncio
import gzip
import io
import threading
import time

import pytest
from channels.db import database_sync_to_async as db
from django.core.management import call_command
from websockets.exceptions import ConnectionClosed

from consultations.models import Comment
from core.live import CLOSE_RESYNC
from deploy.local_cluster import FAIL_TIMEOUT
from tests.consultations.factories import commenter, make_consultation
from tests.forums.factories import make_group, make_participant, make_thread

from .conftest import (
    TIMEOUT,
    catch_up,
    get,
    new_token,
    next_event,
    nothing_more,
    open_reader,
    post_form,
    readers_on_each_worker,
    session_of,
    wait_for_quiet_database,
    worker_of,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def forum_round():
    group = make_group()  # open, post-moderated: replies are published at once
    authors = [make_participant(group.forum) for _ in range(2)]
    thread = make_thread(group, authors[0])
    reader = make_participant(group.forum)
    return {
        "socket_path": f"/ws/forums/groups/{group.pk}/",
        "reply_path": f"/en/forums/groups/{group.pk}/threads/{thread.pk}/reply/",
        "authors": [session_of(author) for author in authors],
        "reader": session_of(reader),
    }


def reply(cluster, world, n: int, body: str):
    data = {"body": body, "token": new_token()}  # each reply a new form (one-use token)
    answer = post_form(cluster, world["reply_path"], data, world["authors"][n % 2])
    assert answer.status in (302, 303), f"reply refused with HTTP {answer.status}"
    assert "/accounts/login/" not in answer.headers["Location"], "the reply was not signed in"


@pytest.mark.asyncio
async def test_a_killed_workers_reader_reconnects_through_the_proxy_and_misses_nothing(
    all_workers_up,
):
    cluster = all_workers_up
    world = await db(forum_round)()
    post = db(reply)

    readers = await readers_on_each_worker(cluster, world["socket_path"], world["reader"])
    start = (await catch_up(readers[1], 0))[-1]["seq"]
    assert (await catch_up(readers[2], 0))[-1] == {"type": "caught_up", "seq": start}

    # One post through the proxy reaches the readers on both workers, once.
    await post(cluster, world, 0, "Art. 23.2: the public is consulted.")
    for socket in readers.values():
        event = await next_event(socket)
        assert (event["type"], event["seq"]) == ("post.created", start + 1)
        assert "Art. 23.2" in event["post"]["body"]

    # Worker 2 dies mid-round (SIGKILL: no close frame); its reader loses the connection.
    cluster.kill_worker(2)
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(readers[2].recv(), TIMEOUT)

    # The round goes on: nginx sends every post to the surviving worker.
    bodies = ["第二十三条：公众参与。", "Second missed post.", "Third missed post."]
    for n, body in enumerate(bodies):
        await post(cluster, world, n + 1, body)
    assert [(await next_event(readers[1]))["seq"] for _ in bodies] == [
        start + 2,
        start + 3,
        start + 4,
    ]

    # The page reconnects through the proxy (it can only reach worker 1) and catches up.
    again, worker = await open_reader(cluster, world["socket_path"], world["reader"])
    assert worker == 1
    replay = await catch_up(again, start + 1)
    assert [(event["type"], event["seq"]) for event in replay[:-1]] == [
        ("post.created", start + 2),
        ("post.created", start + 3),
        ("post.created", start + 4),
    ]
    assert "第二十三条" in replay[0]["post"]["body"]
    assert replay[-1] == {"type": "caught_up", "seq": start + 4}
    assert await nothing_more(again)

    # Live again, once.
    await post(cluster, world, 0, "Back live.")
    assert (await next_event(again))["seq"] == start + 5
    assert await nothing_more(again, 0.5)
    for socket in (readers[1], again):
        await socket.close()


@pytest.mark.asyncio
async def test_a_redis_restart_mid_round_loses_nothing(all_workers_up, private_redis):
    cluster = all_workers_up
    world = await db(forum_round)()
    post = db(reply)

    readers = await readers_on_each_worker(cluster, world["socket_path"], world["reader"])
    start = (await catch_up(readers[1], 0))[-1]["seq"]
    await catch_up(readers[2], 0)
    await post(cluster, world, 0, "Before the restart.")
    for socket in readers.values():
        assert (await next_event(socket))["seq"] == start + 1

    private_redis.kill()
    # The site keeps answering and says what is missing; posts are still accepted.
    health = await asyncio.to_thread(get, cluster, "/health/")
    assert health.status == 200
    assert '"status": "degraded"' in health.body
    assert '"channel_layer": "unavailable"' in health.body
    await post(cluster, world, 1, "Sent while Redis was down.")
    # Long enough for every worker's hub to miss a probe (each second, 1 s timeout), even on a
    # busy machine: a blip shorter than that may go unnoticed, and nothing is lost then either.
    await asyncio.sleep(4)
    private_redis.start()

    # Each page is told to reconnect and catch up from the database, where the post is.
    for worker, socket in readers.items():
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(socket.recv(), 30)
        assert closed.value.rcvd.code == CLOSE_RESYNC, f"worker {worker}"

    fresh = await readers_on_each_worker(cluster, world["socket_path"], world["reader"])
    for socket in fresh.values():
        replay = await catch_up(socket, start + 1)
        assert [(event["type"], event["seq"]) for event in replay] == [
            ("post.created", start + 2),
            ("caught_up", start + 2),
        ]
        assert "while Redis was down" in replay[0]["post"]["body"]

    # Each worker's health is whole again.
    seen = {}
    for _ in range(20):
        answer = await asyncio.to_thread(get, cluster, "/health/")
        seen[worker_of(answer.headers)] = answer.body
        if len(seen) == len(cluster.workers):
            break
    assert len(seen) == len(cluster.workers)
    for worker, body in seen.items():
        assert '"status": "ok"' in body, f"worker {worker}: {body}"

    # And live delivery is back, through Redis, on both workers.
    await post(cluster, world, 0, "After the restart.")
    for socket in fresh.values():
        assert (await next_event(socket))["seq"] == start + 3
        assert await nothing_more(socket, 0.5)
        await socket.close()


def test_comments_sent_while_workers_restart_are_stored_once_or_refused_with_a_message(
    all_workers_up, site_shell
):
    cluster = all_workers_up
    page = make_consultation(site_shell["home"], state="open")
    session = session_of(commenter(display_name="Amina Diallo"))
    path = f"/en/consultations/{page.pk}/comment/"

    answers = {}
    lock = threading.Lock()
    stop = threading.Event()

    def send(writer: int):
        while not stop.is_set():
            token = new_token()
            data = {"token": token, "section": "", "body": f"Comment from writer {writer}."}
            answer = post_form(cluster, path, data, session)
            with lock:
                answers[token] = (data, answer)
            # A person reads the answer before sending the next form.
            time.sleep(0.5 if answer.status == 502 else 0.05)

    writers = [threading.Thread(target=send, args=(n,)) for n in range(3)]
    for writer in writers:
        writer.start()
    try:
        time.sleep(0.5)
        cluster.restart_worker(1)  # as systemd restarts it on an upgrade (SIGTERM)
        cluster.kill_worker(2)  # a crash, with requests in flight
        time.sleep(0.5)
        cluster.start_worker(2)
        time.sleep(0.5)
    finally:
        stop.set()
        for writer in writers:
            writer.join()

    assert len(answers) >= 10, "too few comments were sent during the restarts to show anything"
    # A person reads the message before sending again; nginx leaves a worker that refused a
    # connection out for FAIL_TIMEOUT seconds (a resend within them met a 502 once, in CI).
    time.sleep(FAIL_TIMEOUT + 1)
    refused = 0
    for token, (data, answer) in answers.items():
        if answer.status == 502:
            # Refused with a message; the same form sent again is stored, and only once.
            refused += 1
            assert "briefly unavailable" in answer.body
            assert "send it again" in answer.body
            again = post_form(cluster, path, data, session)
            assert again.status == 302, f"resend of {token}: HTTP {again.status}"
            assert "/consultations/ref/" in again.headers["Location"]
        else:
            assert answer.status == 302, f"{token}: HTTP {answer.status}"
            assert "/consultations/ref/" in answer.headers["Location"]
        assert Comment.objects.filter(submission_token=token).count() == 1, token
    assert Comment.objects.filter(consultation=page).count() == len(answers)
    # Each receipt goes after the answer, on the worker's background thread; one killed with
    # a queue loses it, and the receipts command (cron in production) sends what is missing.
    wait_for_quiet_database()
    call_command("consultations_receipts", after_minutes=0, stdout=io.StringIO())
    unsent = Comment.objects.filter(consultation=page, receipt_sent_at__isnull=True)
    assert not unsent.exists(), "a stored comment never got its receipt"
    print(f"{len(answers)} comments sent during the restarts, {refused} refused then resent")


def test_the_proxy_serves_static_files_and_a_page_in_the_readers_language_when_down(
    all_workers_up,
):
    cluster = all_workers_up
    css = get(cluster, "/static/css/site.css")
    assert css.status == 200
    assert css.headers.get("Content-Encoding") == "gzip"  # WhiteNoise's .gz, sent by nginx
    assert "immutable" in css.headers["Cache-Control"]
    assert "X-Upstream" not in css.headers  # no worker was asked
    assert b"body" in gzip.decompress(css.body.encode("latin-1"))

    # Document files are served by Wagtail after its privacy check, never straight from disk.
    hidden = get(cluster, "/media/documents/report.pdf")
    assert hidden.status == 404
    assert "X-Upstream" not in hidden.headers

    for worker in cluster.workers:
        cluster.kill_worker(worker.index)
    down = get(cluster, "/zh-hans/consultations/")
    assert down.status == 502
    assert down.headers["Retry-After"] == "10"
    html = down.body.encode("latin-1").decode("utf-8")
    assert '<html lang="zh-hans"' in html
    assert "网站暂时无法访问" in html
    assert "briefly unavailable" in get(cluster, "/en/").body
    health = get(cluster, "/health/")
    assert health.status == 502  # a monitor sees the site is down, not a stale "ok"
