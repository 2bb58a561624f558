"""The published result of a consultation (Art. 23.2: make the results available)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.Model):
    """The decision taken, and how the public's comments were taken into account."""

    consultation = models.OneToOneField(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="+"
    )
    decision = models.TextField(_("decision"))
    decision_date = models.DateField(_("date of the decision"))
    comments_taken_into_account = models.TextField(_("how the comments were taken into account"))
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

    def in_language(self, code: str) -> dict:
        """The texts in `code` if translated, else as written; with their language."""
        translated = (self.translations or {}).get(code) or {}
        if translated.get("decision"):
            return {"language": code, **translated}
        return {
            "language": self.language,
            "decision": self.decision,
            "comments_taken_into_account": self.comments_taken_into_account,
        }
