"""What a person asked to be told about, and what they have been told (so nobody is told twice).

A follow names its target by a language-neutral key: a consultation's Wagtail translation key
(the same consultation in every language), a decision type for "tell me when a new
consultation of this type opens", a forum's discussion group (one round) or a forum (every
round of it) by primary key.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowKind(models.TextChoices):
    CONSULTATION = "consultation", _("A consultation")
    DECISION_TYPE = "decision_type", _("New consultations of a decision type")
    ROUND = "round", _("A forum round")
    FORUM = "forum", _("Every round of a forum")


class NoticeEvent(models.TextChoices):
    OPENED = "opened", _("The comment period opened")
    CLOSING_SOON = "closing_soon", _("The comment period closes soon")
    OUTCOME = "outcome", _("The outcome was published")
    ROUND_OPENED = "round_opened", _("The forum round opened")
    ROUND_CLOSING = "round_closing", _("The forum round closes within a day")


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FollowKind.choices)
    target = models.CharField(_("target"), max_length=64)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "target"], name="one_follow_each")
        ]
        indexes = [models.Index(fields=["kind", "target"])]

    def __str__(self):
        return f"{self.user_id} → {self.kind}:{self.target}"


class Notice(models.Model):
    """One mail sent for one follow about one event of one consultation (`subject_key`: its
    translation key) or of one forum round (the discussion group's primary key)."""

    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(_("event"), max_length=16, choices=NoticeEvent.choices)
    subject_key = models.CharField(_("about"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["follow", "event", "subject_key"], name="one_notice_each"
            )
        ]

    def __str__(self):
        return f"{self.follow_id}: {self.event} {self.subject_key}"
