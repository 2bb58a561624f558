"""Writes: what participants and moderators see happen, and what is refused and not stored."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from core.moderation import ModerationLog, ModerationStatus
from forums import live, services
from forums.models import (
    DiscussionGroup,
    Flag,
    FlagStatus,
    ForumEvent,
    NotificationSettings,
    Post,
    PostRevision,
    Registration,
    RegistrationStatus,
    Thread,
)

from .factories import (
    make_forum,
    make_group,
    make_moderator,
    make_participant,
    make_post,
    make_thread,
)

pytestmark = pytest.mark.django_db(transaction=True)


def events(group):
    return list(ForumEvent.objects.filter(group=group).order_by("seq"))


def public_message(event):
    """What a reader catching up receives for `event` now (forums.live.catch_up)."""
    sent = live.catch_up(
        group_id=event.group_id, after=event.seq - 1, user=AnonymousUser(), moderator=False
    )
    return next(m for m in sent["events"] if m["seq"] == event.seq)


# --- posting ---------------------------------------------------------------------------------


def test_post_moderated_post_is_public_at_once_and_announced_to_everyone(
    open_group, thread, participant
):
    post = services.post_create(thread=thread, author=participant, body="Radio works.")
    assert post.moderation_status == ModerationStatus.PUBLISHED
    event = events(open_group)[-1]
    assert (event.type, event.audience, event.user_id) == ("post.created", "public", None)
    assert event.payload == {"post_id": post.pk}  # the log keeps no text (issue 11)
    assert public_message(event)["post"]["body"] == "<p>Radio works.</p>"


def test_pre_moderated_post_is_held_and_announced_only_to_moderators_and_its_author(
    premod_group,
):
    author = make_participant(premod_group.forum)
    thread = make_thread(premod_group)
    post = services.post_create(thread=thread, author=author, body="Held for review.")
    assert post.moderation_status == ModerationStatus.PENDING
    created = [e for e in events(premod_group) if e.type == "post.created"][-1]
    assert (created.audience, created.user_id) == ("moderators", author.pk)
    assert [e.type for e in events(premod_group)][-1] == "queue.changed"


def test_new_thread_in_pre_moderated_group_is_public_only_after_approval(premod_group):
    author = make_participant(premod_group.forum)
    moderator = make_moderator(premod_group)
    thread = services.thread_create(group=premod_group, author=author, title="T", body="B")
    assert thread.published_at is None
    services.post_approve(post=thread.posts.get(), actor=moderator)
    thread.refresh_from_db()
    assert thread.published_at is not None
    public = [e.type for e in events(premod_group) if e.audience == "public"]
    assert public == ["thread.created", "post.published"]


def test_sequence_numbers_increase_by_one_per_event_in_each_group(open_group, thread, participant):
    for n in range(3):
        services.post_create(thread=thread, author=participant, body=f"Post {n}")
    other = make_group(forum=open_group.forum)
    services.thread_create(group=other, author=participant, title="Elsewhere", body="x")
    assert [e.seq for e in events(open_group)] == [1, 2, 3]
    assert [e.seq for e in events(other)] == [1, 2]
    open_group.refresh_from_db()
    assert open_group.last_seq == 3 and open_group.last_public_seq == 3


def test_public_events_name_the_public_event_before_them(premod_group):
    author = make_participant(premod_group.forum)
    moderator = make_moderator(premod_group)
    thread = make_thread(premod_group)
    post = services.post_create(thread=thread, author=author, body="One")  # seq 1, 2 (mods)
    services.post_approve(post=post, actor=moderator)  # post.published (public) = 3
    services.thread_set_pinned(thread=thread, actor=moderator, pinned=True)
    public = [e for e in events(premod_group) if e.audience == "public"]
    assert public[0].as_message()["prev"] == 0
    assert public[1].as_message()["prev"] == public[0].seq
    assert "prev" not in events(premod_group)[0].as_message()


@pytest.mark.parametrize("state", ["scheduled", "closed"])
def test_posting_outside_an_open_round_is_refused_and_nothing_is_stored(state):
    group = make_group(state=state)
    author = make_participant(group.forum)
    thread = make_thread(group)
    before = Post.objects.count()
    with pytest.raises(ValidationError) as error:
        services.post_create(thread=thread, author=author, body="Too late")
    assert ("opens on" if state == "scheduled" else "read-only") in str(error.value)
    with pytest.raises(ValidationError):
        services.thread_create(group=group, author=author, title="New", body="Too late")
    assert Post.objects.count() == before
    assert not ForumEvent.objects.filter(group=group).exists()


def test_unregistered_people_cannot_post(open_group, thread):
    with pytest.raises(ValidationError, match="Register"):
        services.post_create(thread=thread, author=make_participant(), body="Hello")


def test_hostile_html_is_cleaned_before_it_is_stored(open_group, thread, participant):
    post = services.post_create(
        thread=thread,
        author=participant,
        body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a>'
        ' <a href="https://bch.cbd.int">BCH</a></p>',
    )
    assert "script" not in post.body and "onclick" not in post.body
    assert "javascript" not in post.body
    assert 'rel="nofollow ugc noopener"' in post.body


def test_plain_text_keeps_its_paragraphs_and_angle_brackets(open_group, thread, participant):
    post = services.post_create(thread=thread, author=participant, body="a < b\n\nsecond")
    assert post.body == "<p>a &lt; b</p>\n\n<p>second</p>"


@pytest.mark.parametrize("body", ["", "   ", "<p> </p>", "<p><br></p>", "<script>x</script>"])
def test_empty_posts_are_refused(open_group, thread, participant, body):
    with pytest.raises(ValidationError, match="write something"):
        services.post_create(thread=thread, author=participant, body=body)


@override_settings(FORUMS_POST_MAX_LENGTH=100)
def test_too_long_posts_are_refused_with_the_limit(open_group, thread, participant):
    with pytest.raises(ValidationError, match="limit is 100"):
        services.post_create(thread=thread, author=participant, body="x" * 150)
    assert thread.posts.count() == 1


@override_settings(FORUMS_POST_RATE="2/60")
def test_posting_faster_than_the_rate_limit_is_refused_with_a_clear_message(
    open_group, thread, participant
):
    services.post_create(thread=thread, author=participant, body="one")
    services.post_create(thread=thread, author=participant, body="two")
    with pytest.raises(ValidationError, match="2 posts per 60 seconds"):
        services.post_create(thread=thread, author=participant, body="three")
    assert thread.posts.count() == 3  # the opening post and two replies


def test_the_same_form_sent_twice_makes_one_post(open_group, thread, participant):
    first = services.post_create(thread=thread, author=participant, body="Double click")
    second = services.post_create(thread=thread, author=participant, body="Double click")
    assert first.pk == second.pk
    assert thread.posts.count() == 2


def test_replies_must_stay_in_their_thread_and_quotes_must_be_real(open_group, thread, participant):
    parent = thread.posts.get()
    other_thread = make_thread(open_group)
    with pytest.raises(ValidationError, match="in this thread"):
        services.post_create(thread=other_thread, author=participant, body="x", reply_to=parent)
    with pytest.raises(ValidationError, match="do not appear"):
        services.post_create(
            thread=thread, author=participant, body="x", reply_to=parent, quote="words never said"
        )
    words = parent.body.removeprefix("<p>").split()[0:3]
    reply = services.post_create(
        thread=thread, author=participant, body="Agreed", reply_to=parent, quote=" ".join(words)
    )
    assert reply.quote == " ".join(words) and reply.reply_to == parent


def test_a_pending_post_cannot_be_replied_to_by_others(premod_group):
    author = make_participant(premod_group.forum)
    thread = make_thread(premod_group)
    pending = make_post(thread, author, status=ModerationStatus.PENDING)
    with pytest.raises(ValidationError):
        services.post_create(
            thread=thread, author=make_participant(premod_group.forum), body="x", reply_to=pending
        )


def test_editing_keeps_the_earlier_version(open_group, thread, participant):
    post = thread.posts.get()
    original = post.body
    services.post_edit(post=post, editor=participant, body="Corrected text", note="typo")
    post.refresh_from_db()
    assert post.body == "<p>Corrected text</p>" and post.edit_count == 1
    revision = PostRevision.objects.get(post=post)
    assert (revision.body, revision.note) == (original, "typo")
    assert events(open_group)[-1].type == "post.updated"


def test_others_cannot_edit_a_post(open_group, thread):
    with pytest.raises(ValidationError):
        services.post_edit(
            post=thread.posts.get(), editor=make_participant(open_group.forum), body="mine now"
        )


# --- moderation ------------------------------------------------------------------------------


def test_edit_before_approving_keeps_the_original_logs_the_note_and_tells_the_author(
    premod_group, outbox
):
    author = make_participant(premod_group.forum, email="author@example.org")
    moderator = make_moderator(premod_group)
    post = make_post(
        make_thread(premod_group),
        author,
        status=ModerationStatus.PENDING,
        body="My phone number is 555 0100. Radio helps.",
    )
    services.post_approve(
        post=post, actor=moderator, body="Radio helps.", note="Removed a phone number"
    )
    post.refresh_from_db()
    assert post.is_published and post.body == "<p>Radio helps.</p>"
    assert PostRevision.objects.get(post=post).by_moderator
    actions = set(ModerationLog.for_item(post).values_list("action", "note"))
    assert {("edit", "Removed a phone number"), ("publish", "Removed a phone number")} <= actions
    assert len(outbox) == 1 and "edited and published" in outbox[0].subject
    assert "Removed a phone number" in outbox[0].body


def test_rejecting_needs_a_reason_which_is_mailed_to_the_author(premod_group, outbox):
    author = make_participant(premod_group.forum, email="author@example.org")
    moderator = make_moderator(premod_group)
    post = make_post(make_thread(premod_group), author, status=ModerationStatus.PENDING)
    with pytest.raises(ValidationError, match="reason"):
        services.post_reject(post=post, actor=moderator)
    services.post_reject(
        post=post, actor=moderator, reason_code="off_topic", reason="Please post this in group 2."
    )
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.REJECTED
    assert outbox[0].to == ["author@example.org"]
    assert "Off-topic" in outbox[0].body and "Please post this in group 2." in outbox[0].body
    rejected = events(premod_group)[-2]
    assert (rejected.type, rejected.audience, rejected.user_id) == (
        "post.rejected",
        "moderators",
        author.pk,
    )


def test_rejections_are_mailed_even_to_authors_who_opted_out(premod_group, outbox):
    author = make_participant(premod_group.forum)
    NotificationSettings.objects.create(user=author, moderation=False, replies=False)
    post = make_post(make_thread(premod_group), author, status=ModerationStatus.PENDING)
    moderator = make_moderator(premod_group)
    services.post_reject(post=post, actor=moderator, reason_code="spam")
    assert len(outbox) == 1
    post2 = make_post(post.thread, author, status=ModerationStatus.PENDING)
    services.post_approve(post=post2, actor=moderator)
    assert len(outbox) == 1  # approvals respect the opt-out


def test_hiding_leaves_a_placeholder_event_without_the_text_and_resolves_flags(
    open_group, thread, moderator
):
    post = thread.posts.get()
    Flag.objects.create(post=post, reporter=make_participant(), reason_code="abusive")
    services.post_hide(post=post, actor=moderator, reason_code="abusive", reason="Insults")
    hidden = events(open_group)[-2]
    assert hidden.type == "post.hidden" and hidden.audience == "public"
    message = public_message(hidden)["post"]
    assert "body" not in message and "author" not in message
    assert Flag.objects.get().status == FlagStatus.RESOLVED
    services.post_restore(post=post, actor=moderator, note="On appeal")
    post.refresh_from_db()
    assert post.is_published
    assert ModerationLog.for_item(post).filter(action="restore").exists()


def test_two_moderators_approving_at_once_publish_once(premod_group):
    post = make_post(make_thread(premod_group), status=ModerationStatus.PENDING)
    first, second = make_moderator(premod_group), make_moderator(premod_group)
    services.post_approve(post=post, actor=first)
    stale = Post.objects.get(pk=post.pk)
    stale.moderation_status = ModerationStatus.PENDING  # the second moderator's old page
    with pytest.raises(ValidationError, match="already"):
        services.post_approve(post=stale, actor=second)
    assert ModerationLog.for_item(post).filter(action="publish").count() == 1


def test_pin_and_close_are_logged_and_announced(open_group, thread, moderator):
    services.thread_set_pinned(thread=thread, actor=moderator, pinned=True)
    services.thread_set_closed(thread=thread, actor=moderator, closed=True, reason="Done")
    assert [e.type for e in events(open_group)][-2:] == ["thread.pinned", "thread.closed"]
    assert set(ModerationLog.for_item(thread).values_list("action", flat=True)) == {"pin", "close"}
    with pytest.raises(ValidationError, match="closed"):
        services.post_create(thread=thread, author=make_participant(open_group.forum), body="x")


def test_flags_reach_the_queue_once_per_reporter(open_group, thread, moderator):
    reporter = make_participant()
    post = thread.posts.get()
    services.flag_create(post=post, reporter=reporter, reason_code="personal_data")
    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_create(post=post, reporter=reporter, reason_code="spam")
    assert services.queue_counts(open_group)["flags"] == 1
    assert events(open_group)[-1].type == "queue.changed"
    assert events(open_group)[-1].payload["queue"]["flags"] == 1
    services.flag_dismiss(flag=Flag.objects.get(), actor=moderator)
    assert services.queue_counts(open_group)["flags"] == 0


def test_flag_with_unknown_reason_or_on_own_post_is_refused(open_group, thread, participant):
    with pytest.raises(ValidationError):
        services.flag_create(post=thread.posts.get(), reporter=make_participant(), reason_code="x")
    with pytest.raises(PermissionDenied):
        services.flag_create(post=thread.posts.get(), reporter=participant, reason_code="spam")


def test_summary_is_shown_to_everyone_live(open_group, moderator):
    services.summary_post(
        group=open_group, actor=moderator, summary="We agreed on <b>three</b> points"
    )
    open_group.refresh_from_db()
    assert open_group.summary == "<p>We agreed on three points</p>"
    assert events(open_group)[-1].type == "summary.posted"


def test_closing_the_round_early_stops_posting_and_tells_live_clients(
    open_group, thread, moderator
):
    services.round_close_now(group=open_group, actor=moderator)
    assert events(open_group)[-1].type == "round.closed"
    with pytest.raises(ValidationError, match="read-only"):
        services.post_create(thread=thread, author=make_participant(open_group.forum), body="x")
    with pytest.raises(PermissionDenied):
        services.round_close_now(group=open_group, actor=moderator)


def test_scheduled_transitions_are_announced_once():
    group = make_group(state="open")
    assert [g.pk for g in services.rounds_announce()] == [group.pk]
    assert services.rounds_announce() == []
    later = timezone.now() + timedelta(days=7)
    assert [g.pk for g in services.rounds_announce(now=later)] == [group.pk]
    assert [e.type for e in events(group)] == ["round.opened", "round.closed"]
    assert DiscussionGroup.objects.get().announced_state == "closed"


# --- registration and notifications ----------------------------------------------------------


def test_registration_copies_the_profile_and_waits_for_approval(outbox):
    forum = make_forum(registration_policy="approval")
    group = make_group(forum=forum)
    person = make_participant(country="CN", organisation="海关", stakeholder_category="party")
    registration = services.registration_submit(forum=forum, user=person, motivation="Customs")
    assert registration.status == RegistrationStatus.PENDING
    assert (registration.country.code, registration.organisation) == ("CN", "海关")
    assert services.registration_submit(forum=forum, user=person).pk == registration.pk
    moderator = make_moderator(group)
    services.registration_decide(registration=registration, actor=moderator, approve=True)
    assert Registration.objects.get().status == RegistrationStatus.APPROVED
    assert len(outbox) == 1 and "registered" in outbox[0].subject
    with pytest.raises(ValidationError, match="already decided"):
        services.registration_decide(registration=registration, actor=moderator, approve=False)


def test_open_forums_register_at_once_and_strangers_cannot_decide():
    forum = make_forum(registration_policy="open")
    registration = services.registration_submit(forum=forum, user=make_participant())
    assert registration.is_approved
    pending = services.registration_submit(
        forum=make_forum(registration_policy="approval"), user=make_participant()
    )
    with pytest.raises(PermissionDenied):
        services.registration_decide(
            registration=pending, actor=make_moderator(make_group()), approve=True
        )


def test_unverified_accounts_cannot_register():
    with pytest.raises(PermissionDenied):
        services.registration_submit(forum=make_forum(), user=make_participant(verified=False))


def test_a_published_reply_is_mailed_to_the_parent_author_unless_they_opted_out(
    open_group, thread, participant, outbox
):
    replier = make_participant(open_group.forum)
    parent = thread.posts.get()
    services.post_create(thread=thread, author=replier, body="I agree", reply_to=parent)
    assert [m.to for m in outbox] == [[participant.email]]
    assert "I agree" in outbox[0].body
    services.notification_settings_update(
        user=participant, replies=False, moderation=True, digest=False
    )
    services.post_create(thread=thread, author=replier, body="Again", reply_to=parent)
    assert len(outbox) == 1


def test_a_pending_reply_is_mailed_only_once_approved(premod_group, outbox):
    parent_author = make_participant(premod_group.forum)
    thread = make_thread(premod_group, parent_author)
    reply = services.post_create(
        thread=thread,
        author=make_participant(premod_group.forum),
        body="Held",
        reply_to=thread.posts.get(),
    )
    assert [m.to for m in outbox] == []
    services.post_approve(post=reply, actor=make_moderator(premod_group))
    assert [parent_author.email] in [m.to for m in outbox]


def test_the_digest_lists_new_posts_once_a_day(open_group, thread, participant, outbox):
    reader = make_participant(open_group.forum)
    services.notification_settings_update(user=reader, replies=True, moderation=True, digest=True)
    assert services.digest_send() == 1
    assert thread.title in outbox[0].body
    assert services.digest_send() == 0  # not twice in a day
    assert services.digest_send(now=timezone.now() + timedelta(days=1)) == 0  # nothing new
    assert Thread.objects.count() == 1


def test_a_reply_approved_before_its_thread_is_not_announced_to_the_public(premod_group):
    author = make_participant(premod_group.forum)
    moderator = make_moderator(premod_group)
    thread = services.thread_create(group=premod_group, author=author, title="Secret", body="B")
    reply = make_post(thread, author, status=ModerationStatus.PENDING)
    services.post_approve(post=reply, actor=moderator)
    published = [e for e in events(premod_group) if e.type == "post.published"][-1]
    assert (published.audience, published.user_id) == ("moderators", author.pk)
    assert not [e for e in events(premod_group) if e.audience == "public"]


def test_moderators_posts_in_a_pre_moderated_group_need_no_approval(premod_group):
    moderator = make_moderator(premod_group)
    thread = services.thread_create(
        group=premod_group, author=moderator, title="Welcome", body="Introduce yourselves."
    )
    assert thread.published_at is not None and thread.posts.get().is_published


def test_a_malformed_posting_rate_stops_the_system_checks(settings):
    settings.FORUMS_POST_RATE = "100/1"
    assert (services.post_rate().count, services.post_rate().seconds) == (100, 1)
    settings.FORUMS_POST_RATE = "nonsense"
    from forums.checks import forum_limits

    assert [error.id for error in forum_limits()] == ["forums.E001"]


def test_registration_needs_country_and_category_for_the_statistics():
    forum = make_forum()
    person = make_participant(country="", stakeholder_category="")
    with pytest.raises(ValidationError, match="country and stakeholder category"):
        services.registration_submit(forum=forum, user=person)
    assert not Registration.objects.exists()


def test_chinese_posts_are_marked_for_screen_readers(open_group, thread, participant, client):
    chinese = services.post_create(thread=thread, author=participant, body="公众获取信息很重要。")
    english = services.post_create(
        thread=thread, author=participant, body="Access matters (第23条)."
    )
    assert (chinese.language, english.language) == ("zh-hans", "")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'lang="zh-hans"><p>公众获取信息很重要。</p>' in page
