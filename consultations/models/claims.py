"""The notifier's claims of confidentiality on the decision file, and the authority's decisions
on them (Art. 21).

Art. 21.1: the notifier identifies the information to be treated as confidential and, on
request, gives reasons. Art. 21.2: if the Party of import decides that the information does not
qualify, it consults the notifier and informs it of the decision before any disclosure, giving
reasons on request and an opportunity for consultation and internal review. Art. 21.6: the
notifier's name and address, a general description of the LMO, a summary of the risk assessment
and the methods and plans for emergency response are never confidential; they are fields of the
page itself, public, and cannot be claimed.

Claims are edited with the page (an inline panel), so they are revised and published with it,
and they belong to the page in the default language, like comments.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable


class ClaimDecision(models.TextChoices):
    PENDING = "pending", _("Claim under examination")
    ACCEPTED = "accepted", _("Kept confidential")
    REFUSED = "refused", _("Does not qualify: to be disclosed")


class Art216Item(models.TextChoices):
    """What Art. 21.6 puts beyond any claim."""

    NOTIFIER = "notifier", _("The notifier's name and address (Art. 21.6(a))")
    DESCRIPTION = "description", _("A general description of the LMO (Art. 21.6(b))")
    RISK_SUMMARY = "risk_summary", _("A summary of the risk assessment (Art. 21.6(c))")
    EMERGENCY = "emergency", _("Methods and plans for emergency response (Art. 21.6(d))")


class ConfidentialityClaim(Orderable):
    page = ParentalKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="confidentiality_claims",
    )
    item = models.CharField(
        _("information claimed confidential"),
        max_length=255,
        help_text=_(
            "Name the document or field so that the name itself reveals nothing confidential, "
            "e.g. “Dossier annex 4: molecular characterisation”."
        ),
    )
    art_21_6 = models.CharField(
        _("falls under Art. 21.6"),
        max_length=16,
        choices=Art216Item.choices,
        blank=True,
        help_text=_(
            "If the claim covers information that Art. 21.6 says is never confidential, say "
            "which: such a claim can only be refused."
        ),
    )
    notifier_reasons = models.TextField(
        _("the notifier's reasons"),
        blank=True,
        help_text=_("Art. 21.1: the notifier gives reasons on request. Never shown publicly."),
    )
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    decision = models.CharField(
        _("the authority's decision"),
        max_length=16,
        choices=ClaimDecision.choices,
        default=ClaimDecision.PENDING,
    )
    decision_reasons = models.TextField(
        _("reasons for the decision"),
        blank=True,
        help_text=_("Required when the claim is refused (Art. 21.2)."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    notifier_consulted_on = models.DateField(
        _("notifier consulted on"),
        null=True,
        blank=True,
        help_text=_("Art. 21.2: the notifier is consulted before a claim is refused."),
    )
    notifier_informed_on = models.DateField(
        _("notifier informed of the decision on"),
        null=True,
        blank=True,
        help_text=_("Art. 21.2: before any disclosure."),
    )
    disclosed_on = models.DateField(
        _("disclosed on"),
        null=True,
        blank=True,
        help_text=_(
            "Only after the notifier was informed and had the opportunity for consultation and "
            "an internal review of the decision (Art. 21.2)."
        ),
    )

    panels = [
        FieldPanel("item"),
        FieldPanel("art_21_6"),
        FieldRowPanel([FieldPanel("claimed_on"), FieldPanel("notifier_reasons")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision"), FieldPanel("decided_on")]),
                FieldPanel("decision_reasons"),
                FieldRowPanel(
                    [
                        FieldPanel("notifier_consulted_on"),
                        FieldPanel("notifier_informed_on"),
                        FieldPanel("disclosed_on"),
                    ]
                ),
            ],
            heading=_("The authority's decision (Art. 21.2)"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("confidentiality claim (Art. 21)")
        verbose_name_plural = _("confidentiality claims (Art. 21)")

    def __str__(self):
        return self.item

    def clean(self):
        super().clean()
        errors = {}
        decided = self.decision != ClaimDecision.PENDING
        if self.art_21_6 and self.decision == ClaimDecision.ACCEPTED:
            errors["decision"] = _(
                "Art. 21.6: this information may never be treated as confidential; the claim "
                "can only be refused."
            )
        if decided and not self.decided_on:
            errors["decided_on"] = _("Give the date of the decision.")
        if self.decision == ClaimDecision.REFUSED:
            if not self.decision_reasons.strip():
                errors["decision_reasons"] = _(
                    "Art. 21.2: give the reasons for refusing the claim."
                )
            if not self.notifier_consulted_on and not self.art_21_6:
                errors["notifier_consulted_on"] = _(
                    "Art. 21.2: consult the notifier before refusing the claim."
                )
        if self.disclosed_on:
            if self.decision != ClaimDecision.REFUSED:
                errors["disclosed_on"] = _("Only information whose claim was refused is disclosed.")
            elif not self.notifier_informed_on or self.notifier_informed_on >= self.disclosed_on:
                errors["disclosed_on"] = _(
                    "Art. 21.2: the notifier must be informed of the decision before disclosure."
                )
            elif self.disclosed_on > timezone.localdate():
                errors["disclosed_on"] = _("A disclosure date cannot be in the future.")
        for field in ("decided_on", "notifier_informed_on"):
            if self.claimed_on and getattr(self, field) and getattr(self, field) < self.claimed_on:
                errors[field] = _("This date cannot come before the claim.")
        if errors:
            raise ValidationError(errors)

    @property
    def public_status(self) -> str:
        """What the public reads: the state of the claim, never its content or reasons."""
        if self.disclosed_on:
            return str(_("Claim refused; disclosed"))
        return str(self.get_decision_display())
