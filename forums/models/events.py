from django.conf import settings
from django.db import models
from django.utils import timezone

from .groups import DiscussionGroup


class EventAudience(models.TextChoices):
    PUBLIC = "public", "public"
    MODERATORS = "moderators", "moderators"  # and `user`, if set (the author of a pending post)
    USER = "user", "user"  # only `user`


class ForumEventQuerySet(models.QuerySet):
    def seen_by(self, *, user_id: int | None, moderator: bool):
        """The events a viewer may receive: public ones, the moderators' if they moderate the
        group, and those addressed to them."""
        allowed = models.Q(audience=EventAudience.PUBLIC)
        if moderator:
            allowed |= models.Q(audience=EventAudience.MODERATORS)
        if user_id:
            allowed |= models.Q(user_id=user_id)
        return self.filter(allowed)


REFERENCE_KEYS = ("post_id", "thread_id")


class ForumEvent(models.Model):
    """The per-group event log: every live event, numbered. It is the truth that clients catch
    up from after a dropped connection, a restarted worker or a message the layer lost.

    `payload` holds which post or thread the event is about and facts without user text
    (queue counts, round dates), never a post's text: what a socket receives is rebuilt from
    the current state by forums.payloads, so no moderation decision is outlived by the log.
    """

    group = models.ForeignKey(DiscussionGroup, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32)
    audience = models.CharField(max_length=16, choices=EventAudience.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(default=dict)
    prev_public = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForumEventQuerySet.as_manager()

    class Meta:
        ordering = ["group", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["group", "seq"], name="forums_event_seq_unique")
        ]

    def __str__(self):
        return f"{self.group_id}#{self.seq} {self.type}"

    @property
    def post_ref(self) -> int | None:
        return self.payload.get("post_id")

    @property
    def thread_ref(self) -> int | None:
        return self.payload.get("thread_id")

    @property
    def data(self) -> dict:
        """The stored facts, without the references."""
        return {k: v for k, v in self.payload.items() if k not in REFERENCE_KEYS}

    def header(self) -> dict:
        """What every message of this event carries: type, number, group and, for a public
        event, the number of the public event before it."""
        message = {"type": self.type, "seq": self.seq, "group": self.group_id}
        if self.prev_public is not None:
            message["prev"] = self.prev_public
        return message

    def as_message(self) -> dict:
        """The event without anything about its post or thread (see forums.payloads)."""
        return {**self.data, **self.header()}
