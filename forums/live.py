"""The forums' audiences on the live hub and the per-group event log that backs them.

Every live event is first written to `ForumEvent` with the group's next sequence number, in
the same transaction as the change it reports; it is sent to the hub only after commit.
Sequence numbers are taken under the group's row lock, so events commit in `seq` order and a
client catching up "after N" can never miss one that commits later with a smaller number.
"""

from django.db import transaction
from django.db.models import F

from core.events import group_name
from core.live import live_event

from .models import DiscussionGroup, EventAudience, ForumEvent

CATCH_UP_LIMIT = 200  # more missed events than this: the client reloads the page


def audience_public(group_id: int) -> str:
    return group_name("forums", group_id)


def audience_moderators(group_id: int) -> str:
    return group_name("forums", group_id, "mod")


def audience_user(group_id: int, user_id: int) -> str:
    return group_name("forums", group_id, "user", user_id)


def event_emit(*, group: DiscussionGroup, type: str, audience: str, payload: dict, user=None):
    """Log one event for `group` and send it after commit to the audiences that may see it.

    `audience` is public, moderators (plus `user`, e.g. the author of a pending post) or user.
    """
    audience = EventAudience(audience)
    with transaction.atomic():
        # The UPDATE takes the group's row lock until commit: sequence numbers commit in order.
        DiscussionGroup.objects.filter(pk=group.pk).update(last_seq=F("last_seq") + 1)
        seq, prev_public = (
            DiscussionGroup.objects.filter(pk=group.pk)
            .values_list("last_seq", "last_public_seq")
            .get()
        )
        group.last_seq = seq
        if audience == EventAudience.PUBLIC:
            DiscussionGroup.objects.filter(pk=group.pk).update(last_public_seq=seq)
            group.last_public_seq = seq
        else:
            prev_public = None
        event = ForumEvent.objects.create(
            group=group,
            seq=seq,
            type=type,
            audience=audience,
            user=user,
            payload=payload,
            prev_public=prev_public,
        )
        message = event.as_message()
        targets = []
        if audience == EventAudience.PUBLIC:
            targets.append(audience_public(group.pk))
        elif audience == EventAudience.MODERATORS:
            targets.append(audience_moderators(group.pk))
        if user is not None:
            targets.append(audience_user(group.pk, user.pk))
        for target in targets:
            live_event(target, message)
    return event


def events_after(*, group_id: int, after: int, upto: int, user_id: int | None, moderator: bool):
    """What a reconnecting viewer missed, (after, upto]: up to CATCH_UP_LIMIT + 1 events,
    oldest first. Later events reach the socket live (it subscribed before asking)."""
    return list(
        ForumEvent.objects.filter(group_id=group_id, seq__gt=after, seq__lte=upto)
        .seen_by(user_id=user_id, moderator=moderator)
        .order_by("seq")[: CATCH_UP_LIMIT + 1]
    )
