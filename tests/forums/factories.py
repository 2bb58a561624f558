"""Building forums, groups, threads and posts for tests (writes through the services where
the behaviour under test depends on them; straight to the models for bulk content)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from core.moderation import ModerationStatus
from forums.models import (
    DiscussionGroup,
    Forum,
    ModerationMode,
    Post,
    Registration,
    RegistrationStatus,
    Thread,
)
from forums.text import body_to_html
from tests.accounts.factories import make_user

_seq = itertools.count(1)

STATE_WINDOWS = {
    "scheduled": (timedelta(days=1), timedelta(days=8)),
    "open": (timedelta(days=-1), timedelta(days=6)),
    "closed": (timedelta(days=-8), timedelta(days=-1)),
}


def make_forum(**fields) -> Forum:
    n = next(_seq)
    fields.setdefault("title", f"Forum {n}")
    fields.setdefault("slug", f"forum-{n}")
    return Forum.objects.create(**fields)


def make_group(*, forum=None, state="open", mode=ModerationMode.POST, moderators=(), **fields):
    forum = forum or make_forum()
    opens, closes = STATE_WINDOWS[state]
    now = timezone.now()
    fields.setdefault("theme", f"Theme {next(_seq)}")
    group = DiscussionGroup.objects.create(
        forum=forum,
        opens_at=now + opens,
        closes_at=now + closes,
        moderation_mode=mode,
        **fields,
    )
    group.moderators.add(*moderators)
    return group


def make_moderator(group=None, **kwargs):
    user = make_user(roles=[Role.MODERATORS], **kwargs)
    if group is not None:
        group.moderators.add(user)
    return user


def make_participant(forum=None, *, status=RegistrationStatus.APPROVED, **kwargs):
    kwargs.setdefault("country", "KE")
    kwargs.setdefault("stakeholder_category", "ngo")
    user = make_user(**kwargs)
    if forum is not None:
        register(forum, user, status=status)
    return user


def register(forum, user, *, status=RegistrationStatus.APPROVED):
    profile = user.profile
    return Registration.objects.create(
        forum=forum,
        user=user,
        status=status,
        country=profile.country,
        organisation=profile.organisation,
        stakeholder_category=profile.stakeholder_category,
    )


def make_thread(group, author=None, *, title=None, published=True, **fields) -> Thread:
    author = author or make_participant(group.forum)
    now = timezone.now()
    thread = Thread.objects.create(
        group=group,
        author=author,
        title=title or f"Thread {next(_seq)}",
        published_at=now if published else None,
        **fields,
    )
    make_post(
        thread,
        author,
        is_opening=True,
        status=ModerationStatus.PUBLISHED if published else ModerationStatus.PENDING,
    )
    return thread


def make_post(thread, author=None, *, body=None, status=ModerationStatus.PUBLISHED, **fields):
    author = author or make_participant(thread.group.forum)
    return Post.objects.create(
        thread=thread,
        group=thread.group,
        author=author,
        body=body_to_html(body or f"Post number {next(_seq)} about Article 23."),
        moderation_status=status,
        **fields,
    )
