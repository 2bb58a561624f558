"""Followers of forum rounds (a discussion group, or every round of a forum): a mail when the
round opens (to those who followed before it opened) and one the day before it closes.

Mails only name rounds the forums' visibility policy (`forums.rules.can_read_group`) lets
the person read, asked for each person when the mail is sent; a round someone cannot read
sends them nothing. Someone following both the round and its forum gets one mail per event.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import Follow, FollowKind, Notice, NoticeEvent
from .notices import _record, deliver

CLOSING_SOON = timedelta(days=1)


def _events(group, now) -> list[str]:
    if not group.opens_at <= now < group.closes_at:
        return []  # scheduled or closed: nothing to tell yet, or any more
    events = [NoticeEvent.ROUND_OPENED]
    if group.closes_at - now <= CLOSING_SOON:
        events.append(NoticeEvent.ROUND_CLOSING)
    return events


def due_round_notices(now=None) -> list[tuple[Follow, str, object]]:
    """(follow, event, group) not yet sent to that person, for every round open now."""
    from forums import rules
    from forums.models import DiscussionGroup

    now = now or timezone.now()
    groups = list(DiscussionGroup.objects.open_at(now).select_related("forum"))
    if not groups:
        return []
    follows = list(
        Follow.objects.filter(
            Q(kind=FollowKind.ROUND, target__in=[str(g.pk) for g in groups])
            | Q(kind=FollowKind.FORUM, target__in={str(g.forum_id) for g in groups})
        )
        .select_related("user", "user__profile")
        .order_by("kind", "pk")  # "round" after "forum": the round's own follow wins below
    )
    users = {f.user_id for f in follows}
    sent = set(
        Notice.objects.filter(
            follow__user_id__in=users,
            event__in=[NoticeEvent.ROUND_OPENED, NoticeEvent.ROUND_CLOSING],
        ).values_list("follow__user_id", "event", "subject_key")
    )
    due: dict[tuple[int, str, str], tuple[Follow, str, object]] = {}
    for group in groups:
        for follow in follows:
            wanted = str(group.pk) if follow.kind == FollowKind.ROUND else str(group.forum_id)
            if follow.target != wanted:
                continue
            if not rules.can_read_group(follow.user, group):
                continue
            for event in _events(group, now):
                # "It opened" is news only to someone who followed before it opened.
                if event == NoticeEvent.ROUND_OPENED and follow.created_at > group.opens_at:
                    continue
                once = (follow.user_id, str(event), str(group.pk))
                if once not in sent:
                    due[once] = (follow, event, group)
    return list(due.values())


def send_round_notice(follow: Follow, event: str, group) -> bool:
    """One mail about one round, in the person's language, recorded first."""
    user = follow.user
    if not user.email or not user.is_active:
        return False
    if not _record(follow, event, str(group.pk)):
        return False

    def context(language, base):
        return {
            "group": group,
            "theme": group.display_theme,
            "forum_title": group.forum.display_title,
            "group_url": base + reverse("forums:group", kwargs={"group_id": group.pk}),
        }

    return deliver(follow, event, "follows/mail/round", context)


def send_due_round_notices(now=None) -> int:
    due = due_round_notices(now)
    return sum(1 for follow, event, group in due if send_round_notice(follow, event, group))
