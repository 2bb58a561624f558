"""The moderators' queue counts, pushed live to the group's moderators."""

from django.db.models import Count

from ..live import event_emit
from ..models import (
    DiscussionGroup,
    EventAudience,
    Flag,
    FlagStatus,
    Post,
    Registration,
)


def queue_counts(group: DiscussionGroup) -> dict:
    pending = Post.objects.filter(group=group).pending().count()
    flags = Flag.objects.filter(post__group=group, status=FlagStatus.OPEN).aggregate(
        n=Count("post", distinct=True)
    )["n"]
    registrations = Registration.objects.filter(forum_id=group.forum_id).pending().count()
    return {"pending": pending, "flags": flags, "registrations": registrations}


def _queue_changed(group: DiscussionGroup) -> None:
    event_emit(
        group=group,
        type="queue.changed",
        audience=EventAudience.MODERATORS,
        data={"queue": queue_counts(group)},
    )
