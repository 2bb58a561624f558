"""One moderation mechanism for forum posts and consultation comments.

A moderated item carries its status (pending, published, rejected, hidden) and the last
decision on it; `ModerationLog` keeps every decision, so the record of who decided what,
when and why survives later decisions. Decisions go through `moderation_decide` (status
changes) or `moderation_record` (other moderator actions: edits, pins, closures) only.

Who may decide is each feature's rule (forum moderators per group, consultation officers);
these functions record, they do not authorise.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    HIDDEN = "hidden", _("Hidden")


class ModerationReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSIVE = "abusive", _("Abusive or offensive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    DUPLICATE = "duplicate", _("Duplicate")
    PERSONAL_DATA = "personal_data", _("Reveals personal or confidential information")
    OTHER = "other", _("Other")


# status → the statuses a moderator may move it to
TRANSITIONS: dict[str, frozenset[str]] = {
    ModerationStatus.PENDING: frozenset({ModerationStatus.PUBLISHED, ModerationStatus.REJECTED}),
    ModerationStatus.PUBLISHED: frozenset({ModerationStatus.HIDDEN}),
    ModerationStatus.HIDDEN: frozenset({ModerationStatus.PUBLISHED}),
    ModerationStatus.REJECTED: frozenset({ModerationStatus.PUBLISHED}),
}
# Readers and authors are owed an explanation for these.
NEEDS_REASON = frozenset({ModerationStatus.REJECTED, ModerationStatus.HIDDEN})


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)

    def pending(self):
        return self.filter(moderation_status=ModerationStatus.PENDING)

    def published_or_by(self, user):
        """What `user` may read: everything published, and their own items in any state."""
        if not user.is_authenticated:
            return self.published()
        author_field = self.model.moderation_author_field
        return self.filter(
            models.Q(moderation_status=ModerationStatus.PUBLISHED)
            | models.Q(**{author_field: user})
        )


class Moderated(models.Model):
    """Abstract base of everything that is moderated. Subclasses name their author field."""

    moderation_author_field = "author"

    moderation_status = models.CharField(
        _("moderation status"),
        max_length=16,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PENDING,
        db_index=True,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    moderation_reason_code = models.CharField(
        _("reason"), max_length=16, choices=ModerationReason.choices, blank=True
    )
    moderation_reason = models.TextField(_("explanation"), blank=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.moderation_status == ModerationStatus.PUBLISHED


class ModerationLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The decisions `user` may read: each role its own area's (forum moderators the
        forums', consultation officers the consultations'; accounts/areas.py), superusers
        all, everyone else none."""
        from accounts.areas import MODERATION_LOG_AREAS, MODERATION_LOG_SCOPES
        from accounts.rules import has_role

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self
        apps = [app for app, role in MODERATION_LOG_AREAS.items() if has_role(user, role)]
        scope = models.Q(pk__in=[])
        for app in apps:
            area = models.Q(content_type__app_label=app)
            narrow = MODERATION_LOG_SCOPES.get(app)
            scope |= area & narrow(user) if narrow else area
        return self.filter(scope)


class ModerationLog(models.Model):
    """The audit log: one row per moderator decision, never edited or deleted by the site."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(
        _("from"), max_length=16, choices=ModerationStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=ModerationStatus.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    reason_code = models.CharField(
        _("reason"), max_length=16, choices=ModerationReason.choices, blank=True
    )
    reason = models.TextField(_("explanation"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ModerationLogQuerySet.as_manager()

    class Meta:
        app_label = "core"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.action} {self.content_type.model}#{self.object_id}"

    @classmethod
    def for_item(cls, item) -> models.QuerySet:
        ct = ContentType.objects.get_for_model(item)
        return cls.objects.filter(content_type=ct, object_id=str(item.pk))


ACTION_FOR_STATUS = {
    ModerationStatus.PUBLISHED: "publish",
    ModerationStatus.REJECTED: "reject",
    ModerationStatus.HIDDEN: "hide",
}


def moderation_decide(
    *,
    item: Moderated,
    to_status: str,
    actor=None,
    reason_code: str = "",
    reason: str = "",
    note: str = "",
) -> ModerationLog:
    """Move `item` to `to_status` and log the decision, atomically.

    The row is locked first, so two moderators clicking at once cannot both decide:
    the second gets a ValidationError saying the item was already moved.
    `actor=None` records a decision the system took (e.g. post-moderation publishing).
    """
    to_status = ModerationStatus(to_status)
    if reason_code and reason_code not in ModerationReason.values:
        raise ValidationError(gettext("Unknown moderation reason."), code="bad_reason")
    if to_status in NEEDS_REASON and not (reason_code or reason.strip()):
        raise ValidationError(
            gettext("Please give a reason: the author and readers are told why."),
            code="reason_required",
        )
    with transaction.atomic():
        locked = type(item)._base_manager.select_for_update().get(pk=item.pk)
        from_status = locked.moderation_status
        if to_status not in TRANSITIONS[from_status]:
            raise ValidationError(
                gettext("This item is already “%(current)s”; it cannot become “%(target)s”.")
                % {
                    "current": ModerationStatus(from_status).label,
                    "target": to_status.label,
                },
                code="bad_transition",
            )
        now = timezone.now()
        fields = {
            "moderation_status": to_status,
            "moderated_by": actor,
            "moderated_at": now,
            "moderation_reason_code": reason_code,
            "moderation_reason": reason.strip(),
        }
        for name, value in fields.items():
            setattr(item, name, value)
        type(item)._base_manager.filter(pk=item.pk).update(**fields)
        action = (
            "restore"
            if from_status == ModerationStatus.HIDDEN and to_status == ModerationStatus.PUBLISHED
            else ACTION_FOR_STATUS[to_status]
        )
        return ModerationLog.objects.create(
            item=item,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            reason_code=reason_code,
            reason=reason.strip(),
            note=note.strip(),
            created_at=now,
        )


def moderation_record(
    *, item, action: str, actor=None, reason: str = "", note: str = ""
) -> ModerationLog:
    """Log a moderator action that is not a status change (edit, pin, close, approve)."""
    status = getattr(item, "moderation_status", "")
    return ModerationLog.objects.create(
        item=item,
        action=action,
        from_status=status,
        to_status=status,
        actor=actor,
        reason=reason.strip(),
        note=note.strip(),
    )
