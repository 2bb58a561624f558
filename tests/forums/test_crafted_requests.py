"""Crafted and repeated requests on the forum forms (issue 11, findings 12 and 13): a bad
`next`, a non-numeric registration, a NUL byte, and the same form sent five times at once.
None may answer 500 or store twice."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.moderation import ModerationLog
from forums.models import Post, Registration, Thread

from .factories import (
    make_forum,
    make_group,
    make_moderator,
    make_participant,
    make_post,
    make_thread,
)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["abc", "//evil.example/", "https://evil.example/x", "\x00"])
def test_a_bad_next_on_moderation_forms_falls_back_to_the_page(client, open_group, target):
    moderator = make_moderator(open_group)
    thread = make_thread(open_group)
    post = make_post(thread)
    client.force_login(moderator)
    for url, data, fallback in (
        (
            reverse("forums:moderate_post", args=[post.pk]),
            {"action": "hide", "reason_code": "spam"},
            f"/en/forums/groups/{open_group.pk}/moderate/",
        ),
        (
            reverse("forums:thread_pin", args=[open_group.pk, thread.pk]),
            {"pinned": "1"},
            thread.get_absolute_url(),
        ),
        (
            reverse("forums:thread_close", args=[open_group.pk, thread.pk]),
            {"closed": "1"},
            thread.get_absolute_url(),
        ),
    ):
        response = client.post(url, {**data, "next": target})
        assert response.status_code == 302, url
        assert response["Location"] == fallback


@pytest.mark.django_db
def test_a_safe_next_is_followed(client, open_group):
    moderator = make_moderator(open_group)
    thread = make_thread(open_group)
    client.force_login(moderator)
    url = reverse("forums:thread_pin", args=[open_group.pk, thread.pk])
    response = client.post(url, {"pinned": "1", "next": f"{thread.get_absolute_url()}?page=2"})
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "", "-1", "1e9", "9" * 30, "\x00"])
def test_a_malformed_registration_id_is_a_message_not_a_crash(client, value):
    forum = make_forum(registration_policy="approval")
    group = make_group(forum=forum)
    pending = make_participant(forum, status="pending")
    client.force_login(make_moderator(group))
    url = reverse("forums:registrations", args=[forum.slug])
    response = client.post(url, {"registration": value, "decision": "approve"})
    assert response.status_code in (302, 400, 404)
    assert Registration.objects.get(user=pending).status == "pending"


@pytest.mark.django_db
def test_a_nul_byte_in_the_close_reason_is_refused_with_a_message(client, open_group):
    moderator = make_moderator(open_group)
    thread = make_thread(open_group)
    client.force_login(moderator)
    url = reverse("forums:thread_close", args=[open_group.pk, thread.pk])
    response = client.post(url, {"closed": "1", "reason": "spam\x00wave"})
    assert response.status_code == 302
    assert any("Null characters are not allowed" in m for m in _messages(response))
    thread.refresh_from_db()
    assert not thread.closed
    assert not ModerationLog.objects.filter(action="close").exists()


@pytest.mark.django_db
def test_nul_bytes_in_post_forms_are_refused_with_a_message(client, open_group, participant):
    thread = make_thread(open_group, participant)
    client.force_login(participant)
    page = client.get(thread.get_absolute_url()).content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', page).group(1)
    response = client.post(
        reverse("forums:reply", args=[open_group.pk, thread.pk]),
        {"body": "a\x00b", "token": token},
    )
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
    assert thread.posts.count() == 1


# --- finding 13: one form, one thread ---------------------------------------------------------


def _token(client, url) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'name="token" value="([0-9a-f-]{36})"', page)
    assert found, "the form carries a one-use token"
    return found.group(1)


def _send_at_once(session_cookie: str, url: str, data: dict, times: int = 5) -> list[int]:
    """The same form sent `times` times at once (a frantic double click, a resend)."""
    barrier = threading.Barrier(times)
    statuses, lock = [], threading.Lock()

    def send():
        client = Client()
        client.cookies["sessionid"] = session_cookie
        try:
            barrier.wait()
            status = client.post(url, data).status_code
        finally:
            connections.close_all()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def on_a_shared_database(settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "threads need a database they all see: run with DATABASE_URL=postgres://… "
            "(CI's PostgreSQL step)"
        )
    settings.FORUMS_POST_RATE = "1000/60"


@pytest.mark.django_db(transaction=True)
def test_the_same_new_thread_form_sent_five_times_at_once_makes_one_thread(
    client, on_a_shared_database
):
    group = make_group()
    author = make_participant(group.forum)
    client.force_login(author)
    token = _token(client, group.get_absolute_url())
    url = reverse("forums:thread_new", args=[group.pk])
    statuses = _send_at_once(
        client.cookies["sessionid"].value,
        url,
        {"title": "Once", "body": "Only once", "token": token},
    )
    assert statuses == [302] * 5
    assert Thread.objects.filter(group=group).count() == 1
    assert Post.objects.filter(group=group).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_reply_form_sent_five_times_at_once_makes_one_post(client, on_a_shared_database):
    group = make_group()
    author = make_participant(group.forum)
    thread = make_thread(group)
    client.force_login(author)
    token = _token(client, thread.get_absolute_url())
    url = reverse("forums:reply", args=[group.pk, thread.pk])
    statuses = _send_at_once(
        client.cookies["sessionid"].value, url, {"body": "Said once", "token": token}
    )
    assert statuses == [302] * 5
    assert Post.objects.filter(thread=thread, author=author).count() == 1


@pytest.mark.django_db
def test_a_resent_form_after_the_window_still_makes_one_post(client, open_group, participant):
    """The token, not the clock, makes a resend safe (e.g. after a rolling restart)."""
    thread = make_thread(open_group, participant)
    client.force_login(participant)
    token = _token(client, thread.get_absolute_url())
    url = reverse("forums:reply", args=[open_group.pk, thread.pk])
    first = client.post(url, {"body": "Once", "token": token})
    Post.objects.filter(thread=thread, body="<p>Once</p>").update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    second = client.post(url, {"body": "Once", "token": token})
    assert first["Location"] == second["Location"]
    assert thread.posts.filter(body="<p>Once</p>").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "not-a-uuid", "<script>"])
def test_a_missing_or_tampered_token_is_refused_and_the_text_kept(
    client, thread, participant, token
):
    client.force_login(participant)
    response = client.post(
        reverse("forums:reply", args=[thread.group_id, thread.pk]),
        {"body": "Keep my words", "token": token},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep my words" in page and "out of date" in page
    assert re.search(r'name="token" value="[0-9a-f-]{36}"', page)
    assert thread.posts.count() == 1
