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


class ForumEvent(models.Model):
    """The per-group event log: every live event, numbered. It is the truth that clients catch
    up from after a dropped connection, a restarted worker or a message the layer lost."""

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

    def as_message(self) -> dict:
        message = {**self.payload, "type": self.type, "seq": self.seq, "group": self.group_id}
        if self.prev_public is not None:
            message["prev"] = self.prev_public
        return message
