from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.stakeholders import StakeholderCategory

from .translated import TranslatedTitlesMixin


class RegistrationPolicy(models.TextChoices):
    OPEN = "open", _("Open: every verified account is registered at once")
    APPROVAL = "approval", _("Approval: a moderator approves each registration")


class Forum(TranslatedTitlesMixin, models.Model):
    """An online forum held as an event (e.g. the May 2012 CBD–Aarhus forum on public access
    to biosafety information, Art. 23.1): organisers, partner organisations, and discussion
    groups run as themed rounds. Reading is public; posting needs a registration."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    organisers = models.CharField(
        _("organisers"),
        max_length=300,
        blank=True,
        help_text=_("The organisations that convene the forum."),
    )
    partner_organisations = models.TextField(
        _("partner organisations"), blank=True, help_text=_("One organisation per line.")
    )
    registration_policy = models.CharField(
        _("registration policy"),
        max_length=16,
        choices=RegistrationPolicy.choices,
        default=RegistrationPolicy.APPROVAL,
    )
    language = models.CharField(
        _("main language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:forum", kwargs={"slug": self.slug})

    @property
    def display_title(self) -> str:
        return self.in_reader_language("title")

    @property
    def partners(self) -> list[str]:
        return [line.strip() for line in self.partner_organisations.splitlines() if line.strip()]

    @property
    def needs_approval(self) -> bool:
        return self.registration_policy == RegistrationPolicy.APPROVAL


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Registered")
    DECLINED = "declined", _("Declined")


class RegistrationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=RegistrationStatus.APPROVED)

    def pending(self):
        return self.filter(status=RegistrationStatus.PENDING)


class Registration(models.Model):
    """A person's registration to a forum. Country, organisation and stakeholder category are
    copied from the profile when registering, so statistics describe the forum as it was."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_registrations"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )
    country = CountryField(_("country"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_category = models.CharField(
        _("stakeholder category"), max_length=16, choices=StakeholderCategory.choices, blank=True
    )
    motivation = models.TextField(_("why you want to take part"), blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="forums_one_registration")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.user} → {self.forum}"

    @property
    def is_approved(self) -> bool:
        return self.status == RegistrationStatus.APPROVED
