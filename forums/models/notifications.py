from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationSettings(models.Model):
    """What forum e-mail a person wants. Without a row, the defaults apply (all on, no digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    replies = models.BooleanField(_("e-mail me when someone replies to my post"), default=True)
    moderation = models.BooleanField(
        _("e-mail me about moderators' decisions on my posts"), default=True
    )
    digest = models.BooleanField(
        _("send me a daily digest of new posts in the groups I am registered for"), default=False
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("forum e-mail settings")
        verbose_name_plural = _("forum e-mail settings")

    def __str__(self):
        return f"forum e-mail settings of {self.user_id}"
