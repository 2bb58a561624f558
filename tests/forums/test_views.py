"""The pages and forms, as people use them without JavaScript, and crafted requests."""

import csv
import io
import uuid

import pytest
from django.urls import reverse

from core.moderation import ModerationStatus
from forums.models import ModerationMode, Post, Registration, Thread

from .factories import (
    make_forum,
    make_group,
    make_moderator,
    make_participant,
    make_post,
    make_thread,
)

pytestmark = pytest.mark.django_db


def reply_url(thread):
    return reverse("forums:reply", args=[thread.group_id, thread.pk])


def form(**fields) -> dict:
    """A post form as the page renders it: with its one-use token."""
    return {"token": str(uuid.uuid4()), **fields}


def test_reply_form_posts_and_redirects_to_the_new_post(client, thread, participant):
    client.force_login(participant)
    response = client.post(reply_url(thread), form(body="Community radio works."))
    post = Post.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{post.pk}")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Community radio works." in page


def test_reply_url_is_the_one_in_the_live_contract(thread):
    assert reply_url(thread) == (f"/en/forums/groups/{thread.group_id}/threads/{thread.pk}/reply/")


def test_a_refused_reply_keeps_the_text_and_says_why(client, participant, open_group):
    closed = make_group(state="closed", forum=open_group.forum)
    thread = make_thread(closed, participant)
    client.force_login(participant)
    response = client.post(reply_url(thread), form(body="My careful text"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "read-only" in page
    assert thread.posts.count() == 1


def test_a_crafted_post_into_a_closed_round_stores_nothing(client, participant, open_group):
    closed = make_group(state="closed", forum=open_group.forum)
    thread = make_thread(closed, participant)
    client.force_login(participant)
    client.post(reply_url(thread), form(body="x"))
    client.post(reverse("forums:thread_new", args=[closed.pk]), form(title="t", body="x"))
    assert Post.objects.filter(group=closed).count() == 1
    assert Thread.objects.filter(group=closed).count() == 1


def test_posting_into_a_thread_you_cannot_see_is_404_and_stores_nothing(client, premod_group):
    hidden_thread = make_thread(premod_group, published=False)
    intruder = make_participant(premod_group.forum)
    client.force_login(intruder)
    assert client.post(reply_url(hidden_thread), form(body="x")).status_code == 404
    assert client.get(hidden_thread.get_absolute_url()).status_code == 404
    assert hidden_thread.posts.count() == 1


def test_anonymous_posting_is_sent_to_sign_in(client, thread):
    response = client.post(reply_url(thread), {"body": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert thread.posts.count() == 1


def test_rate_limit_message_appears_in_the_form(client, thread, participant, settings):
    settings.FORUMS_POST_RATE = "1/60"
    client.force_login(participant)
    client.post(reply_url(thread), form(body="first"))
    response = client.post(reply_url(thread), form(body="second, kept in the form"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "faster than the forum allows" in page and "second, kept in the form" in page


def test_pending_post_shows_awaiting_moderation_to_its_author_only(client, premod_group):
    author = make_participant(premod_group.forum)
    thread = make_thread(premod_group)
    client.force_login(author)
    client.post(reply_url(thread), form(body="Held back text"))
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Held back text" in page and "Awaiting moderation" in page
    client.force_login(make_participant(premod_group.forum))
    assert "Held back text" not in client.get(thread.get_absolute_url()).content.decode()
    client.logout()
    assert "Held back text" not in client.get(thread.get_absolute_url()).content.decode()


def test_readers_see_a_placeholder_for_a_hidden_post(client, thread, participant):
    post = make_post(
        thread,
        participant,
        body="Rude words",
        status=ModerationStatus.HIDDEN,
        moderation_reason_code="abusive",
    )
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Rude words" not in page
    assert "hidden by a moderator" in page and "Abusive or offensive" in page
    assert f'id="post-{post.pk}"' in page


def test_scheduled_group_is_readable_and_says_when_it_opens(client):
    group = make_group(state="scheduled")
    page = client.get(group.get_absolute_url()).content.decode()
    assert "opens on" in page and "Start the thread" not in page


def test_moderator_approves_from_the_queue(client, premod_group, outbox):
    moderator = make_moderator(premod_group)
    post = make_post(make_thread(premod_group), status=ModerationStatus.PENDING, body="Queued")
    client.force_login(moderator)
    queue = client.get(reverse("forums:queue", args=[premod_group.pk])).content.decode()
    assert "Queued" in queue
    response = client.post(
        reverse("forums:moderate_post", args=[post.pk]),
        {"action": "approve", "body": post.body, "note": ""},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_published and post.edit_count == 0  # unchanged text is not an edit


def test_moderator_rejects_without_reason_is_told_and_nothing_changes(client, premod_group):
    moderator = make_moderator(premod_group)
    post = make_post(make_thread(premod_group), status=ModerationStatus.PENDING)
    client.force_login(moderator)
    response = client.post(
        reverse("forums:moderate_post", args=[post.pk]), {"action": "reject"}, follow=True
    )
    assert "Please give a reason" in response.content.decode()
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.PENDING


@pytest.mark.parametrize("who", ["anonymous", "participant", "moderator_elsewhere"])
def test_moderation_urls_refuse_everyone_else(client, premod_group, who):
    post = make_post(make_thread(premod_group), status=ModerationStatus.PENDING)
    if who == "participant":
        client.force_login(make_participant(premod_group.forum))
    elif who == "moderator_elsewhere":
        client.force_login(make_moderator(make_group()))
    for url, data in (
        (reverse("forums:moderate_post", args=[post.pk]), {"action": "approve"}),
        (reverse("forums:queue", args=[premod_group.pk]), None),
        (reverse("forums:summary", args=[premod_group.pk]), {"summary": "x"}),
        (reverse("forums:round_close", args=[premod_group.pk]), {}),
    ):
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code in (302, 403), url
        if who != "anonymous":
            assert response.status_code == 403
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.PENDING


def test_flagging_through_the_form(client, thread, open_group):
    reporter = make_participant()
    client.force_login(reporter)
    post = thread.posts.get()
    url = reverse("forums:post_flag", args=[post.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason_code": "personal_data", "reason": "A phone number"})
    response = client.post(url, {"reason_code": "spam"}, follow=True)
    assert "already flagged" in response.content.decode()
    assert post.flags.count() == 1


def test_registration_flow_with_approval(client, outbox, django_capture_on_commit_callbacks):
    forum = make_forum(registration_policy="approval")
    group = make_group(forum=forum)
    person = make_participant(country="CN")
    client.force_login(person)
    client.post(reverse("forums:register", args=[forum.slug]), {"motivation": "Customs"})
    client.post(reverse("forums:register", args=[forum.slug]), {"motivation": "again"})
    registration = Registration.objects.get()
    assert registration.status == "pending"
    client.force_login(make_moderator(group))
    page = client.get(reverse("forums:registrations", args=[forum.slug])).content.decode()
    assert "Customs" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("forums:registrations", args=[forum.slug]),
            {"registration": registration.pk, "decision": "approve"},
        )
    registration.refresh_from_db()
    assert registration.status == "approved" and len(outbox) == 1


def test_edit_form_and_history(client, thread, participant):
    post = thread.posts.get()
    client.force_login(participant)
    url = reverse("forums:post_edit", args=[post.pk])
    client.post(url, {"body": "Better wording", "note": "clarity"})
    history = client.get(reverse("forums:post_history", args=[post.pk])).content.decode()
    assert "Better wording" in history and "clarity" in history and "Article 23" in history


def test_csv_export_is_for_moderators_and_defuses_formulas(client, open_group, thread, moderator):
    make_post(thread, body='=HYPERLINK("http://evil")')
    make_post(thread, body="Pending", status=ModerationStatus.PENDING)
    url = reverse("forums:posts_csv", args=[open_group.forum.slug])
    client.force_login(make_participant(open_group.forum))
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    response = client.get(url)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2  # published only
    assert rows[1]["text"].startswith("'=")
    assert rows[0]["created_at_utc"].endswith("+00:00")


def test_statistics_count_registrations_and_posts(client):
    forum = make_forum()
    group = make_group(forum=forum, mode=ModerationMode.POST)
    people = [
        make_participant(forum, country=c, stakeholder_category=s)
        for c, s in (("CN", "party"), ("CN", "media"), ("SN", "party"))
    ]
    thread = make_thread(group, people[0])
    make_post(thread, people[1])
    make_post(thread, people[1], status=ModerationStatus.PENDING)
    response = client.get(reverse("forums:statistics", args=[forum.slug]))
    stats = response.context["stats"]
    assert (stats["registered"], stats["posts"], stats["active"]) == (3, 2, 2)
    by_category = {row["label"]: row["count"] for row in stats["by_category"]}
    assert by_category == {"Party government": 2, "Media": 1}
    assert {row["label"]: row["count"] for row in stats["by_country"]} == {"China": 2, "Senegal": 1}


def test_round_report_prints_summary_and_published_posts(client, open_group, thread):
    open_group.summary = "<p>Three conclusions.</p>"
    open_group.save()
    make_post(thread, body="Not yet public", status=ModerationStatus.PENDING)
    page = client.get(reverse("forums:report", args=[open_group.pk])).content.decode()
    assert "Three conclusions." in page and "Article 23" in page and "Not yet public" not in page
    assert "NGO or civil society" in page  # the participant who posted, by category


def test_notification_settings_form(client, participant):
    client.force_login(participant)
    client.post(reverse("forums:settings"), {"replies": "on"})
    settings = participant.forum_notifications
    assert (settings.replies, settings.moderation, settings.digest) == (True, False, False)


def test_chinese_pages_are_in_chinese(client, thread):
    page = client.get(thread.get_absolute_url().replace("/en/", "/zh-hans/")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "回复" in page or "登录" in page


def test_a_refusal_page_says_why(client, premod_group):
    client.force_login(make_participant(premod_group.forum))
    response = client.get(reverse("forums:queue", args=[premod_group.pk]))
    assert response.status_code == 403
    assert "Only this group&#x27;s moderators may do that." in response.content.decode()
