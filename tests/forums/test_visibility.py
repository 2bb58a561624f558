"""One visibility policy, asked by every channel at read time (issue 11): the edit history, the
round report, quotes, statistics, the CSV export and e-mail never show what a moderator took
away or has not yet approved. Each test plants a canary where the policy table
(docs/permissions.md, "Forums: content state × viewer") says it must not be seen."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.moderation import ModerationStatus
from forums import rules, services
from forums.models import NotificationSettings

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db

ORIGINAL = "CANARY-ORIGINAL call me on +254 700 000 000"
NOTE = "CANARY-NOTE removed the phone number"


def _page(client, url, user=None) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def edited_on_approval(premod_group):
    """A pre-moderated post that a moderator edited before approving it (with a note)."""
    author = make_participant(premod_group.forum)
    moderator = make_moderator(premod_group)
    thread = make_thread(premod_group)
    post = services.post_create(thread=thread, author=author, body=ORIGINAL)
    services.post_approve(post=post, actor=moderator, body="Please write to us.", note=NOTE)
    return {"post": post, "author": author, "moderator": moderator, "group": premod_group}


# --- finding 3: the edit history ----------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "participant", "moderator_elsewhere"])
def test_history_never_shows_the_text_a_moderator_removed_nor_the_note(
    client, edited_on_approval, viewer
):
    w = edited_on_approval
    user = {
        "anonymous": None,
        "participant": make_participant(w["group"].forum),
        "moderator_elsewhere": make_moderator(make_group(forum=w["group"].forum)),
    }[viewer]
    page = _page(client, reverse("forums:post_history", args=[w["post"].pk]), user)
    assert "Please write to us." in page  # the published text is public
    assert "CANARY-ORIGINAL" not in page and "CANARY-NOTE" not in page
    thread_page = _page(client, w["post"].thread.get_absolute_url(), user)
    assert "CANARY" not in thread_page


@pytest.mark.parametrize("viewer", ["moderator", "author"])
def test_the_groups_moderators_and_the_author_see_the_original_and_the_note(
    client, edited_on_approval, viewer
):
    w = edited_on_approval
    page = _page(client, reverse("forums:post_history", args=[w["post"].pk]), w[viewer])
    assert "CANARY-ORIGINAL" in page and "CANARY-NOTE" in page


def test_an_authors_own_edit_of_a_published_post_stays_public(client, open_group, participant):
    thread = make_thread(open_group, participant)
    post = thread.posts.get()
    before = post.body
    services.post_edit(post=post, editor=participant, body="Corrected wording", note="typo")
    page = _page(client, reverse("forums:post_history", args=[post.pk]))
    assert before in page and "typo" in page  # it was public before the edit


# --- finding 7: the round report ------------------------------------------------------------


def test_round_report_leaves_out_threads_awaiting_approval_and_their_replies(client, premod_group):
    author = make_participant(premod_group.forum)
    waiting = make_thread(
        premod_group, author, title="CANARY-TITLE of a waiting thread", published=False
    )
    # A reply a moderator approved before the thread itself (possible in pre-moderation).
    make_post(waiting, body="CANARY-REPLY in a waiting thread", status=ModerationStatus.PUBLISHED)
    make_thread(premod_group, author, title="A public thread")
    page = _page(client, reverse("forums:report", args=[premod_group.pk]))
    assert "A public thread" in page
    assert "CANARY" not in page
    stats = _page(client, reverse("forums:statistics", args=[premod_group.forum.slug]))
    assert "CANARY" not in stats
    report = client.get(reverse("forums:report", args=[premod_group.pk]))
    assert report.context["group_stats"]["posts"] == 1  # the public thread's opening post


def test_the_flag_form_of_a_post_in_a_thread_awaiting_approval_is_refused(client, premod_group):
    waiting = make_thread(premod_group, published=False)
    reply = make_post(waiting, body="CANARY-REPLY in a waiting thread")
    client.force_login(make_participant(premod_group.forum))
    response = client.get(reverse("forums:post_flag", args=[reply.pk]))
    assert response.status_code == 403 and "CANARY" not in response.content.decode()


def test_csv_export_leaves_out_posts_of_threads_awaiting_approval(client, premod_group):
    moderator = make_moderator(premod_group)
    waiting = make_thread(premod_group, published=False)
    make_post(waiting, body="CANARY-REPLY in a waiting thread", status=ModerationStatus.PUBLISHED)
    make_thread(premod_group)
    client.force_login(moderator)
    response = client.get(reverse("forums:posts_csv", args=[premod_group.forum.slug]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and "CANARY" not in text


def test_digest_leaves_out_posts_of_threads_awaiting_approval(
    premod_group, outbox, django_capture_on_commit_callbacks
):
    reader = make_participant(premod_group.forum)
    NotificationSettings.objects.create(user=reader, digest=True)
    waiting = make_thread(premod_group, title="CANARY-TITLE", published=False)
    make_post(waiting, status=ModerationStatus.PUBLISHED)
    make_thread(premod_group, title="Visible thread")
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send()
    assert len(outbox) == 1
    assert "Visible thread" in outbox[0].body and "CANARY" not in outbox[0].body


# --- finding 10: quotes -----------------------------------------------------------------------


@pytest.fixture
def quoted_then_hidden(open_group, participant):
    moderator = make_moderator(open_group)
    thread = make_thread(open_group, participant)
    quoted = services.post_create(
        thread=thread, author=participant, body="CANARY-QUOTED my phone is 555 0100"
    )
    replier = make_participant(open_group.forum)
    reply = services.post_create(
        thread=thread,
        author=replier,
        body="I disagree.",
        reply_to=quoted,
        quote="CANARY-QUOTED my phone is 555 0100",
    )
    services.post_hide(post=quoted, actor=moderator, reason_code="personal_data")
    return {"thread": thread, "reply": reply, "moderator": moderator, "group": open_group}


def test_a_quote_of_a_later_hidden_post_is_not_shown_on_the_thread_page(client, quoted_then_hidden):
    w = quoted_then_hidden
    for user in (None, make_participant(w["group"].forum)):
        page = _page(client, w["thread"].get_absolute_url(), user)
        assert "I disagree." in page and "CANARY" not in page
    # The group's moderators still see what was hidden, to judge an appeal.
    assert "CANARY-QUOTED" in _page(client, w["thread"].get_absolute_url(), w["moderator"])


def test_a_quote_of_a_later_hidden_post_is_not_in_the_round_report(client, quoted_then_hidden):
    page = _page(client, reverse("forums:report", args=[quoted_then_hidden["group"].pk]))
    assert "I disagree." in page and "CANARY" not in page


def test_a_moderators_quote_of_a_pending_post_is_not_shown_to_the_public(client, premod_group):
    moderator = make_moderator(premod_group)
    thread = make_thread(premod_group)
    pending = make_post(thread, body="CANARY-PENDING words", status=ModerationStatus.PENDING)
    reply = services.post_create(
        thread=thread, author=moderator, body="Noted.", reply_to=pending, quote="CANARY-PENDING"
    )
    assert reply.is_published  # the group's own moderators need no approval
    page = _page(client, thread.get_absolute_url())
    assert "Noted." in page and "CANARY" not in page
    assert not rules.quote_visible(AnonymousUser(), reply, moderator=False)


# --- e-mail: replies ---------------------------------------------------------------------


def test_a_reply_in_a_thread_its_parent_author_cannot_see_is_not_mailed(
    premod_group, outbox, django_capture_on_commit_callbacks
):
    """Only whoever may read a reply is mailed its text."""
    moderator = make_moderator(premod_group)
    thread = make_thread(premod_group, moderator, published=False)
    parent = make_post(thread, make_participant(premod_group.forum))  # e.g. a demoted moderator
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(thread=thread, author=moderator, body="CANARY-REPLY", reply_to=parent)
    assert not [m for m in outbox if "CANARY" in m.body]
