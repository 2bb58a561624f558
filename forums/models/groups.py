from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forums import Forum
from .translated import TranslatedTitlesMixin


class ModerationMode(models.TextChoices):
    PRE = "pre", _("Pre-moderation: posts appear once a moderator approves them")
    POST = "post", _("Post-moderation: posts appear at once and can be hidden")


class RoundState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DiscussionGroupQuerySet(models.QuerySet):
    def open_at(self, when=None):
        when = when or timezone.now()
        return self.filter(opens_at__lte=when, closes_at__gt=when)

    def not_closed(self, when=None):
        return self.filter(closes_at__gt=when or timezone.now())

    def moderated_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(moderators=user)


class DiscussionGroup(TranslatedTitlesMixin, models.Model):
    """One themed discussion group of a forum, held as a round: scheduled until `opens_at`,
    open until `closes_at`, then closed and read-only. Its moderators are named per group."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    guiding_questions = models.TextField(
        _("guiding questions"), blank=True, help_text=_("One question per line.")
    )
    lead_partners = models.CharField(_("lead partner organisation(s)"), max_length=300, blank=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_forum_groups",
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    moderation_mode = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.PRE
    )
    summary = models.TextField(_("round summary"), blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary_at = models.DateTimeField(null=True, blank=True)
    # The last event number handed out (ForumEvent.seq); raised under a row lock.
    last_seq = models.PositiveBigIntegerField(default=0)
    # The last public event's number: each public event names the one before it (`prev`), so a
    # reader who missed one while connected notices the gap and catches up.
    last_public_seq = models.PositiveBigIntegerField(default=0)
    # Which lifecycle events were announced to live clients (round.opened / round.closed).
    announced_state = models.CharField(max_length=16, choices=RoundState.choices, blank=True)

    objects = DiscussionGroupQuerySet.as_manager()

    class Meta:
        ordering = ["forum", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="forums_group_closes_after_opening",
            )
        ]
        verbose_name = _("discussion group")
        verbose_name_plural = _("discussion groups")

    def __str__(self):
        return self.theme

    def get_absolute_url(self):
        return reverse("forums:group", kwargs={"group_id": self.pk})

    @property
    def display_theme(self) -> str:
        return self.in_reader_language("theme")

    def state_at(self, when=None) -> str:
        when = when or timezone.now()
        if when < self.opens_at:
            return RoundState.SCHEDULED
        if when < self.closes_at:
            return RoundState.OPEN
        return RoundState.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return RoundState(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED

    @property
    def is_premoderated(self) -> bool:
        return self.moderation_mode == ModerationMode.PRE

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.guiding_questions.splitlines() if line.strip()]
