"""People's forum e-mail settings and the daily digest."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import notify
from ..models import (
    NotificationSettings,
    Post,
)


def notification_settings_update(*, user, replies: bool, moderation: bool, digest: bool):
    found, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"replies": replies, "moderation": moderation, "digest": digest}
    )
    return found


def digest_send(*, now=None) -> int:
    """Mail each subscriber the posts published in their forums since their last digest
    (at most one a day). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    subscribers = (
        NotificationSettings.objects.filter(digest=True)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - timedelta(hours=23)))
        .select_related("user__profile")
    )
    for entry in subscribers:
        since = entry.last_digest_at or now - timedelta(days=1)
        forum_ids = entry.user.forum_registrations.approved().values("forum_id")
        posts = list(
            # What anyone may read (the policy's public()): never a thread awaiting approval.
            Post.objects.public()
            .filter(group__forum_id__in=forum_ids, created_at__gt=since, created_at__lte=now)
            .exclude(author=entry.user)
            .select_related("thread", "group", "author__profile")
            .order_by("group_id", "thread_id", "created_at")[:100]
        )
        with transaction.atomic():
            NotificationSettings.objects.filter(pk=entry.pk).update(last_digest_at=now)
            if posts:
                notify._later(entry.user, "forums/mail/digest", {"posts": posts, "since": since})
                sent += 1
    return sent
