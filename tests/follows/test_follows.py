"""Following a consultation or a decision type, the mails it brings (in the person's language,
never about what the public cannot see) and the one-click unsubscribe of every mail."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import PageViewRestriction

from follows.models import Follow, FollowKind, Notice
from follows.notices import send_due_notices
from tests.accounts.factories import make_user
from tests.consultations.factories import make_consultation, officer

pytestmark = pytest.mark.django_db


def _follow(client, user, kind, target, on="1", next_url="/en/"):
    client.force_login(user)
    return client.post(
        "/en/follow/", {"kind": kind, "target": str(target), "on": on, "next": next_url}
    )


def _backdate(follow, when):
    Follow.objects.filter(pk=follow.pk).update(created_at=when)


def _unsubscribe_url(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    url = header.strip("<>")
    assert url in message.body  # the same link, readable in the mail itself
    return re.sub(r"^https?://[^/]+", "", url)


def test_notify_me_on_a_consultation_then_stop(client, home):
    page = make_consultation(home, state="upcoming")
    reader = make_user()
    response = _follow(client, reader, "consultation", page.translation_key, next_url=page.url)
    assert response.status_code == 302 and response["Location"] == page.url
    assert Follow.objects.filter(user=reader, kind="consultation").count() == 1
    assert "Stop notifying me" in client.get(page.url).content.decode()

    _follow(client, reader, "consultation", page.translation_key, on="0")
    assert not Follow.objects.exists()
    assert "Notify me" in client.get(page.url).content.decode()


def test_follow_refuses_unknown_kinds_types_and_targets_without_a_500(client, home):
    reader = make_user()
    for kind, target in [("nope", "x"), ("decision_type", "nope"), ("consultation", "nope")]:
        response = _follow(client, reader, kind, target)
        assert response.status_code == 302
    assert not Follow.objects.exists()
    # Signed-out people are sent to sign in, nothing stored.
    client.logout()
    response = client.post("/en/follow/", {"kind": "decision_type", "target": "art11", "on": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Follow.objects.exists()


def test_followers_hear_of_the_opening_once_in_their_language_with_a_way_to_stop(client, home):
    page = make_consultation(home, state="open", title="Maize decision")
    reader = make_user(preferred_language="zh-hans")
    follow = Follow.objects.create(
        user=reader, kind=FollowKind.CONSULTATION, target=str(page.translation_key)
    )
    _backdate(follow, page.opens_at - timedelta(days=1))

    assert send_due_notices() == 1
    assert send_due_notices() == 0  # never twice
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert "征求意见" in message.subject or "开放" in message.subject, message.subject
    assert "Maize decision" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click from the mail program: a POST without session or CSRF token.
    client.logout()
    url = _unsubscribe_url(message)
    assert "停止接收这些电子邮件" in client.get(url).content.decode()  # the mail's language
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.exists()
    assert client.post(url).status_code == 400  # already used: says so, changes nothing


def test_a_forged_unsubscribe_link_changes_nothing(client, home):
    page = make_consultation(home, state="open")
    follow = Follow.objects.create(
        user=make_user(), kind=FollowKind.CONSULTATION, target=str(page.translation_key)
    )
    response = client.post(f"/en/follow/unsubscribe/{follow.pk}:forged/")
    assert response.status_code == 400
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_closing_soon_and_the_published_outcome_reach_followers(client, home):
    page = make_consultation(home, state="open")
    page.closes_at = timezone.now() + timedelta(days=2)
    page.save_revision().publish()
    reader = make_user()
    Follow.objects.create(
        user=reader, kind=FollowKind.CONSULTATION, target=str(page.translation_key)
    )
    send_due_notices()
    events = set(Notice.objects.values_list("event", flat=True))
    assert events == {"closing_soon"}  # followed after it opened: no "it opened" mail
    assert "closes for comments" in mail.outbox[0].body

    closed = make_consultation(home, state="outcome")
    Follow.objects.create(
        user=reader, kind=FollowKind.CONSULTATION, target=str(closed.translation_key)
    )
    mail.outbox.clear()
    send_due_notices()
    assert [m.subject for m in mail.outbox] == [f"[Biosafety] Outcome published: {closed.title}"]


def test_a_new_consultation_of_a_followed_decision_type_is_announced(client, home):
    reader = make_user()
    _follow(client, reader, "decision_type", "art11")
    _backdate(Follow.objects.get(), timezone.now() - timedelta(days=10))
    make_consultation(home, state="open", decision_type="art11", title="Art. 11 opened")
    make_consultation(home, state="open", decision_type="law", title="A law opened")
    send_due_notices()
    assert [m.subject for m in mail.outbox] == ["[Biosafety] Open for comments: Art. 11 opened"]
    assert "a new consultation of this type" in mail.outbox[0].body


def test_publishing_an_outcome_mails_followers_after_commit(
    client, home, django_capture_on_commit_callbacks
):
    from consultations.services.outcomes import outcome_publish

    page = make_consultation(home, state="closed")
    Follow.objects.create(
        user=make_user(), kind=FollowKind.CONSULTATION, target=str(page.translation_key)
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome_publish(
            consultation=page,
            actor=officer(),
            decision="Decided.",
            decision_date=timezone.localdate(),
            comments_taken_into_account="None received.",
        )
    subjects = [m.subject for m in mail.outbox]
    assert f"[Biosafety] Outcome published: {page.title}" in subjects


# Leak matrix, mail channel: what the visibility policy hides is never mailed.
def test_no_mail_about_a_consultation_the_public_cannot_see(client, home):
    page = make_consultation(home, state="open")
    reader = make_user()
    follow = Follow.objects.create(
        user=reader, kind=FollowKind.CONSULTATION, target=str(page.translation_key)
    )
    _backdate(follow, page.opens_at - timedelta(days=1))
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    hidden = make_consultation(home, state="open", decision_type="art11")
    hidden.unpublish()
    Follow.objects.create(user=reader, kind=FollowKind.DECISION_TYPE, target="art11")
    _backdate(Follow.objects.get(kind="decision_type"), timezone.now() - timedelta(days=10))

    assert send_due_notices() == 0
    assert mail.outbox == []
    # Nor can a hidden consultation be followed.
    response = _follow(client, reader, "consultation", hidden.translation_key)
    assert response.status_code == 302
    assert not Follow.objects.filter(target=str(hidden.translation_key)).exists()
