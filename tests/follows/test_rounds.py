"""Following a forum round (one discussion group) or a forum (every round of it): the buttons,
the mail when the round opens and the day before it closes (once, in the person's language,
with one-click unsubscribe), and nothing about a round the person may not read."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from follows.models import Follow, FollowKind, Notice
from follows.notices import send_due_notices
from forums.models import DiscussionGroup
from tests.accounts.factories import make_user
from tests.forums.factories import make_forum, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shell(site_shell):
    return site_shell


def _follow(client, user, kind, target, on="1", next_url="/en/forums/"):
    client.force_login(user)
    return client.post(
        "/en/follow/", {"kind": kind, "target": str(target), "on": on, "next": next_url}
    )


def _open_now(group, *, closes_in=timedelta(days=7)):
    """The round opens now (its followers followed while it was scheduled)."""
    now = timezone.now()
    DiscussionGroup.objects.filter(pk=group.pk).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + closes_in
    )
    Follow.objects.update(created_at=now - timedelta(days=1))


def test_notify_me_on_a_round_and_on_a_forum_from_their_pages(client):
    group = make_group(state="scheduled", theme="Access to information")
    reader = make_user()
    url = group.get_absolute_url()
    client.force_login(reader)
    assert "Notify me" in client.get(url).content.decode()

    response = _follow(client, reader, "round", group.pk, next_url=url)
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Stop notifying me" in page and "the day before it closes" in page

    forum_url = group.forum.get_absolute_url()
    assert "Notify me of every round" in client.get(forum_url).content.decode()
    _follow(client, reader, "forum", group.forum_id, next_url=forum_url)
    assert set(Follow.objects.values_list("kind", flat=True)) == {"round", "forum"}

    client.logout()
    assert "to be told by e-mail when the rounds open" in client.get(url).content.decode()


def test_closed_rounds_unknown_and_malformed_targets_are_refused_without_a_500(client):
    closed = make_group(state="closed")
    reader = make_user()
    for kind, target in [("round", closed.pk), ("round", "x1"), ("round", 99999), ("forum", "")]:
        response = _follow(client, reader, kind, target)
        assert response.status_code == 302
    assert not Follow.objects.exists()
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Notify me" not in page  # nothing more to tell about a closed round
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and "cannot be followed" in messages[-1]


def test_followers_hear_when_a_round_opens_once_in_their_language(client):
    forum = make_forum(title="Public access forum")
    group = make_group(forum=forum, state="scheduled", theme="Access to information")
    make_group(forum=forum, state="scheduled", theme="Later round")  # still scheduled
    round_reader = make_user(preferred_language="zh-hans")
    forum_reader = make_user(preferred_language="fr")
    Follow.objects.create(user=round_reader, kind=FollowKind.ROUND, target=str(group.pk))
    Follow.objects.create(user=forum_reader, kind=FollowKind.FORUM, target=str(forum.pk))
    # Following the round and its forum: still one mail.
    Follow.objects.create(user=forum_reader, kind=FollowKind.ROUND, target=str(group.pk))
    assert send_due_notices() == 0  # scheduled: nothing yet

    _open_now(group)
    assert send_due_notices() == 2
    assert send_due_notices() == 0  # never twice
    by_reader = {m.to[0]: m for m in mail.outbox}
    chinese = by_reader[round_reader.email]
    assert "Access to information" in chinese.subject
    assert "论坛" in chinese.subject, chinese.subject
    assert f"/zh-hans/forums/groups/{group.pk}/" in chinese.body
    french = by_reader[forum_reader.email]
    assert "Cycle du forum ouvert" in french.subject and "ouvert" in french.body, french.body
    assert "Later round" not in french.body

    # One click from the mail program ends that follow only.
    unsubscribe = chinese.extra_headers["List-Unsubscribe"].strip("<>")
    assert chinese.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.handler.enforce_csrf_checks = True
    response = client.post(re.sub(r"^https?://[^/]+", "", unsubscribe))
    assert response.status_code == 200
    assert not Follow.objects.filter(user=round_reader).exists()
    assert Follow.objects.filter(user=forum_reader).count() == 2


def test_the_day_before_a_round_closes_its_followers_are_reminded(client):
    group = make_group(state="open")
    later = make_group(state="open")
    reader = make_user()
    for g in (group, later):
        _follow(client, reader, "round", g.pk)  # followed after opening: no "it opened"
    DiscussionGroup.objects.filter(pk=group.pk).update(
        closes_at=timezone.now() + timedelta(hours=20)
    )
    assert send_due_notices() == 1
    assert list(Notice.objects.values_list("event", "subject_key")) == [
        ("round_closing", str(group.pk))
    ]
    assert "closes tomorrow" in mail.outbox[0].subject
    assert "read-only" in mail.outbox[0].body


# Leak matrix, mail channel: a round the person may not read is never mailed nor followed.
def test_no_mail_and_no_follow_for_a_round_the_person_cannot_read(client, monkeypatch):
    from forums import rules

    secret_forum = make_forum(title="Closed-door forum")
    secret = make_group(forum=secret_forum, state="scheduled", theme="Secret round")
    public = make_group(state="scheduled", theme="Public round")
    reader = make_user()
    for kind, target in [
        (FollowKind.ROUND, secret.pk),
        (FollowKind.FORUM, secret_forum.pk),
        (FollowKind.ROUND, public.pk),
    ]:
        Follow.objects.create(user=reader, kind=kind, target=str(target))
    monkeypatch.setattr(rules, "can_read_forum", lambda user, forum: forum.pk != secret_forum.pk)

    _open_now(secret)
    _open_now(public)
    assert send_due_notices() == 1
    assert "Public round" in mail.outbox[0].subject
    assert all("Secret round" not in m.subject + m.body for m in mail.outbox)
    assert all("Closed-door" not in m.subject + m.body for m in mail.outbox)

    Follow.objects.all().delete()
    for kind, target in [("round", secret.pk), ("forum", secret_forum.pk)]:
        assert _follow(client, reader, kind, target).status_code == 302
    assert not Follow.objects.exists()
