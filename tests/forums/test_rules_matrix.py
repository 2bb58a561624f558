"""The permission matrix (issue 4): anonymous / participant / registered participant /
moderator of this group / moderator of another group × scheduled / open / closed ×
pre / post moderation, for read, post, flag and every moderation action."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.moderation import ModerationStatus
from forums import rules, services
from forums.models import Flag, ModerationMode, RegistrationStatus

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "registered", "moderator_here", "moderator_elsewhere"]
STATES = ["scheduled", "open", "closed"]
MODES = [ModerationMode.PRE, ModerationMode.POST]


def _world(state, mode):
    group = make_group(state=state, mode=mode)
    other = make_group(forum=group.forum, state="open")
    people = {
        "anonymous": AnonymousUser(),
        "participant": make_participant(),  # verified, not registered
        "registered": make_participant(group.forum),
        "moderator_here": make_moderator(group),
        "moderator_elsewhere": make_moderator(other),
    }
    author = make_participant(group.forum)
    thread = make_thread(group, author)
    post = make_post(thread, author)
    return group, thread, post, people, author


def _attempt(action, group, author, actor) -> bool:
    """Run one moderation action as `actor` on a fresh item; False if refused."""
    thread = make_thread(group, author)
    status = {
        "approve": ModerationStatus.PENDING,
        "edit_before_approve": ModerationStatus.PENDING,
        "reject": ModerationStatus.PENDING,
        "restore": ModerationStatus.HIDDEN,
    }.get(action, ModerationStatus.PUBLISHED)
    post = make_post(thread, author, status=status)
    calls = {
        "approve": lambda: services.post_approve(post=post, actor=actor),
        "edit_before_approve": lambda: services.post_approve(
            post=post, actor=actor, body="Shortened by the moderator.", note="too long"
        ),
        "reject": lambda: services.post_reject(post=post, actor=actor, reason_code="spam"),
        "hide": lambda: services.post_hide(post=post, actor=actor, reason_code="abusive"),
        "restore": lambda: services.post_restore(post=post, actor=actor),
        "pin": lambda: services.thread_set_pinned(thread=thread, actor=actor, pinned=True),
        "close_thread": lambda: services.thread_set_closed(thread=thread, actor=actor, closed=True),
        "handle_flags": lambda: services.flag_dismiss(
            flag=Flag.objects.create(post=post, reporter=author, reason_code="spam"),
            actor=actor,
        ),
        "summary": lambda: services.summary_post(group=group, actor=actor, summary="Wrap-up."),
    }
    try:
        calls[action]()
    except PermissionDenied:
        return False
    return True


# who may do it, per (state): the same for both moderation modes
EXPECTED_POST = {
    "scheduled": set(),
    "open": {"registered", "moderator_here"},
    "closed": set(),
}
MODERATION_ACTIONS = [
    "approve",
    "edit_before_approve",
    "reject",
    "hide",
    "restore",
    "pin",
    "close_thread",
    "handle_flags",
    "summary",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("state", STATES)
def test_permission_matrix(state, mode):
    group, thread, post, people, author = _world(state, mode)
    for role, user in people.items():
        # read: public in every state
        assert rules.can_read_group(user, group), (role, state, mode, "read")
        assert rules.can_see_thread(user, thread), (role, state, mode, "see thread")
        # post (new thread and reply)
        may_post = role in EXPECTED_POST[state]
        assert rules.can_post(user, group) is may_post, (role, state, mode, "post")
        assert rules.can_reply(user, thread) is may_post, (role, state, mode, "reply")
        # flag: any verified account, in every state, on someone else's published post
        assert rules.can_flag(user, post) is (role != "anonymous"), (role, state, mode, "flag")
        # every moderation action, through its service: this group's moderators only, in
        # every state (wrap-ups and late decisions happen after closing)
        for action in MODERATION_ACTIONS:
            assert _attempt(action, group, author, user) is (role == "moderator_here"), (
                role,
                state,
                mode,
                action,
            )
        assert rules.can_close_round(user, group) is (
            role == "moderator_here" and state == "open"
        ), (role, state, mode, "close round")
        assert rules.can_export(user, group.forum) is (
            role in ("moderator_here", "moderator_elsewhere")  # both moderate this forum
        ), (role, state, mode, "export")


@pytest.mark.parametrize("state", STATES)
def test_refusal_messages_say_why(state):
    group = make_group(state=state)
    registered = make_participant(group.forum)
    refusal = rules.posting_refusal(registered, group)
    if state == "scheduled":
        assert "opens on" in refusal
    elif state == "closed":
        assert "closed on" in refusal and "read-only" in refusal
    else:
        assert refusal is None


def test_unverified_pending_and_declined_people_cannot_post(open_group):
    unverified = make_participant(open_group.forum, verified=False)
    pending = make_participant(open_group.forum, status=RegistrationStatus.PENDING)
    declined = make_participant(open_group.forum, status=RegistrationStatus.DECLINED)
    assert "Verify your e-mail" in rules.posting_refusal(unverified, open_group)
    assert "awaiting" in rules.posting_refusal(pending, open_group)
    assert "declined" in rules.posting_refusal(declined, open_group)
    assert not rules.can_flag(unverified, make_post(make_thread(open_group)))


def test_unpublished_thread_is_seen_only_by_its_author_and_the_moderators(premod_group):
    author = make_participant(premod_group.forum)
    thread = make_thread(premod_group, author, published=False)
    assert rules.can_see_thread(author, thread)
    assert rules.can_see_thread(make_moderator(premod_group), thread)
    assert not rules.can_see_thread(make_participant(premod_group.forum), thread)
    assert not rules.can_see_thread(AnonymousUser(), thread)
    assert not rules.can_see_thread(make_moderator(make_group()), thread)


def test_closed_thread_refuses_participants_but_not_its_moderators(open_group, thread):
    thread.closed = True
    registered = make_participant(open_group.forum)
    assert "closed to new posts" in rules.posting_refusal(registered, open_group, thread)
    assert rules.can_reply(make_moderator(open_group), thread)


def test_authors_edit_their_posts_only_while_the_round_is_open(open_group, thread, participant):
    post = thread.posts.get()
    assert rules.can_edit_post(participant, post)
    assert not rules.can_edit_post(make_participant(open_group.forum), post)
    closed = make_group(state="closed", forum=open_group.forum)
    old = make_post(make_thread(closed, participant), participant)
    assert not rules.can_edit_post(participant, old)


def test_nobody_flags_their_own_post(thread, participant):
    assert not rules.can_flag(participant, thread.posts.get())


def test_approved_posts_in_a_pre_moderated_group_are_not_edited_behind_the_moderators(
    premod_group,
):
    author = make_participant(premod_group.forum)
    thread = make_thread(premod_group, author)
    pending = make_post(thread, author, status=ModerationStatus.PENDING)
    assert rules.can_edit_post(author, pending)
    assert not rules.can_edit_post(author, thread.posts.first())  # approved
