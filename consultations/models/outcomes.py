"""The published result of a consultation (Art. 23.2: make the results available).

The outcome states what was decided (for an AIA decision, one of Art. 10.3(a)–(c)), with its
reasons unless the approval is unconditional (Art. 10.4; always, under the Aarhus Convention's
GMO amendment), its conditions, and the record of the decision in the Biosafety Clearing-House
(Art. 10.3, 11.1, 20.3(d)). A decision is never dated before the comment period closed: the
comments must be taken into account (Art. 23.2).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutcomeResult(models.TextChoices):
    APPROVED = "approved", _("Approved without conditions (Art. 10.3(a))")
    APPROVED_WITH_CONDITIONS = "conditions", _("Approved with conditions (Art. 10.3(a))")
    PROHIBITED = "prohibited", _("Prohibited (Art. 10.3(b))")
    MORE_INFORMATION = "information", _("Further information requested (Art. 10.3(c))")
    ADOPTED = "adopted", _("Adopted (a law, regulation or guideline)")
    OTHER = "other", _("Other")


class Outcome(models.Model):
    """The decision taken, and how the public's comments were taken into account."""

    consultation = models.OneToOneField(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="+"
    )
    decision = models.TextField(_("decision"))
    decision_date = models.DateField(_("date of the decision"))
    comments_taken_into_account = models.TextField(_("how the comments were taken into account"))
    result = models.CharField(_("result"), max_length=16, choices=OutcomeResult.choices, blank=True)
    reasons = models.TextField(
        _("reasons for the decision"),
        blank=True,
        help_text=_("Required unless the approval is unconditional (Art. 10.4)."),
    )
    conditions = models.TextField(_("conditions"), blank=True)
    bch_record_url = models.URLField(
        _("decision record in the Biosafety Clearing-House"), blank=True
    )
    bch_record_date = models.DateField(_("date of the BCH decision record"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Other languages' versions of the two texts: {"zh-hans": {"decision": …,
    # "comments_taken_into_account": …}}; readers get theirs where it exists.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation outcome")

    def __str__(self):
        return f"{self.consultation_id}: {self.decision_date}"

    def clean(self):
        super().clean()
        errors = {}
        page = self.consultation if self.consultation_id else None
        if page is not None and self.decision_date and page.closes_at:
            closed = timezone.localdate(page.closes_at)
            if self.decision_date < closed:
                errors["decision_date"] = _(
                    "The decision cannot be dated before the comment period closed (%(date)s): "
                    "the comments must be taken into account (Art. 23.2)."
                ) % {"date": closed.isoformat()}
        reasons_required = self.result not in ("", OutcomeResult.APPROVED) or (
            page is not None and page.applies_aarhus_gmo_amendment
        )
        if reasons_required and not (self.reasons or "").strip():
            errors["reasons"] = (
                _("Under the Aarhus GMO amendment the decision is published with its reasons.")
                if page is not None and page.applies_aarhus_gmo_amendment
                else _("Art. 10.4: give the reasons, unless the approval is unconditional.")
            )
        if self.result == OutcomeResult.APPROVED_WITH_CONDITIONS and not self.conditions.strip():
            errors["conditions"] = _("State the conditions of the approval.")
        if bool(self.bch_record_url) != bool(self.bch_record_date):
            errors["bch_record_date" if self.bch_record_url else "bch_record_url"] = _(
                "Give both the link to the BCH decision record and its date."
            )
        if (
            self.bch_record_date
            and self.decision_date
            and self.bch_record_date < self.decision_date
        ):
            errors["bch_record_date"] = _("The BCH record cannot come before the decision.")
        if errors:
            raise ValidationError(errors)

    def in_language(self, code: str) -> dict:
        """The texts in `code` if translated, else as written; with their language."""
        translated = (self.translations or {}).get(code) or {}
        texts = {
            "language": self.language,
            "decision": self.decision,
            "comments_taken_into_account": self.comments_taken_into_account,
        }
        if translated.get("decision"):
            texts = {
                "language": code,
                "decision": translated["decision"],
                "comments_taken_into_account": translated.get("comments_taken_into_account")
                or self.comments_taken_into_account,
            }
        # Reasons and conditions may be translated or not: each keeps its own language.
        for name in ("reasons", "conditions"):
            if translated.get(name):
                texts[name], texts[f"{name}_language"] = translated[name], code
            else:
                texts[name], texts[f"{name}_language"] = getattr(self, name), self.language
        return texts
