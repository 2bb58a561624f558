"""The outcome's summary of comments received (Art. 23.2: make the results available).

Officers build it from the synthesis (consultations/summaries.py, core.synthesis): each
statement is their text, usually a sentence quoted from a comment, linked to the comments it
comes from. It is published with the outcome. A statement shows publicly only with its
sources that are still public: a source hidden later disappears from it, and a statement
with no public source left is not shown at all (its words came from what is now hidden).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryStatementQuerySet(models.QuerySet):
    def for_consultation(self, consultation):
        if consultation.canonical.pk is None:  # a new page in the editor's preview
            return self.none()
        return self.filter(consultation=consultation.canonical)


class SummaryStatement(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="summary_statements",
    )
    # The draft section it summarises (the block id, as on comments); "" the whole draft.
    section_key = models.CharField(_("section"), max_length=64, blank=True)
    text = models.TextField(_("statement"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    sources = models.ManyToManyField(
        "consultations.Comment", verbose_name=_("sources"), related_name="summary_statements"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SummaryStatementQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "order", "pk"]
        verbose_name = _("summary statement")
        verbose_name_plural = _("summary of comments received")

    def __str__(self):
        return self.text[:60]
