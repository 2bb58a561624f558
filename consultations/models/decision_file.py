"""The decision file: what a consultation page carries about the pending decision itself.

The notification (Annex I: the notifier and the date it was received), the procedure's clocks
(`consultations.procedure`), and the information that Art. 21.6 says may never be treated as
confidential. On a notified decision these items are required on every save: a saved page opens
by itself when its comment period starts, and they must be public before it does. The notifier's
confidentiality claims on the rest of the file are `ConfidentialityClaim` rows (`claims.py`).
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField

from ..procedure import NOTIFIED_TYPES, procedure_clocks, procedure_note

# The shortest comment period the platform accepts on a page that applies the Aarhus
# Convention's GMO amendment ("reasonable time-frames", Annex I bis): our floor, not the law's.
AARHUS_MIN_COMMENT_DAYS = 30


class InformationRequestBlock(blocks.StructBlock):
    """A request for further information that stops the Art. 10.3 clock (Art. 10.3(c))."""

    requested_on = blocks.DateBlock(label=_("requested on"))
    received_on = blocks.DateBlock(
        label=_("information received on"), required=False, help_text=_("Empty while awaited.")
    )
    note = blocks.CharBlock(label=_("what was asked"), max_length=255, required=False)

    class Meta:
        icon = "time"
        label = _("Request for further information")


class DecisionFile(models.Model):
    # --- the notification (Annex I) and the items Art. 21.6 keeps public -----------------
    notifier_name = models.CharField(
        _("notifier"),
        max_length=255,
        blank=True,
        help_text=_(
            "Who notified the decision (Art. 8, Annex I) or applied for it (Art. 11, Annex "
            "II(a)). Never confidential (Art. 21.6(a))."
        ),
    )
    notifier_address = models.TextField(
        _("notifier's address"), blank=True, help_text=_("Never confidential (Art. 21.6(a)).")
    )
    notification_received_on = models.DateField(
        _("notification received on"),
        null=True,
        blank=True,
        help_text=_(
            "Starts the clocks of Art. 9 and 10 (Art. 9.2(a)). For a review, the day the "
            "request for review was received (Art. 12.2)."
        ),
    )
    acknowledged_on = models.DateField(
        _("acknowledged on"),
        null=True,
        blank=True,
        help_text=_("The written acknowledgement to the notifier (Art. 9.1: within 90 days)."),
    )
    information_requests = StreamField(
        [("request", InformationRequestBlock())],
        blank=True,
        verbose_name=_("requests for further information (Art. 10.3(c))"),
    )
    decision_period_extended_to = models.DateField(
        _("decision period extended to"),
        null=True,
        blank=True,
        help_text=_("Only if the notifier was told of the extension (Art. 10.3(d))."),
    )
    lmo_description = models.TextField(
        _("general description of the LMO"),
        blank=True,
        help_text=_("Never confidential (Art. 21.6(b))."),
    )
    risk_assessment_summary = models.TextField(
        _("summary of the risk assessment"),
        blank=True,
        help_text=_(
            "The assessment under Art. 15 and Annex III, summarised. Never confidential "
            "(Art. 21.6(c))."
        ),
    )
    emergency_response = models.TextField(
        _("methods and plans for emergency response"),
        blank=True,
        help_text=_("Never confidential (Art. 21.6(d))."),
    )
    applies_aarhus_gmo_amendment = models.BooleanField(
        _("apply the Aarhus Convention's GMO amendment"),
        default=False,
        help_text=_(
            "For Parties to the Aarhus Convention bound by its amendment on GMOs (Art. 6 bis, "
            "Annex I bis): early public participation with the file complete when the period "
            "opens, a reasonable time-frame (at least 30 days here), and the decision "
            "published with its reasons."
        ),
    )

    class Meta:
        abstract = True

    def decision_file_errors(self) -> dict:
        """Field errors of the decision file, for the page's `clean()`."""
        errors = {}
        # A period that has already ended (an early close: the application was withdrawn)
        # is not held to the minimum; the schedule set for the public is.
        scheduled = self.closes_at and self.closes_at > timezone.now()
        if self.applies_aarhus_gmo_amendment and self.opens_at and scheduled:
            if self.closes_at - self.opens_at < timedelta(days=AARHUS_MIN_COMMENT_DAYS):
                errors["closes_at"] = _(
                    "With the Aarhus GMO amendment, give the public a reasonable time-frame: "
                    "at least %(days)d days."
                ) % {"days": AARHUS_MIN_COMMENT_DAYS}
        # Art. 21.6: public before the comment period opens, so required on every save.
        for name in self.public_file_missing:
            errors[name] = _(
                "Art. 21.6: this is never confidential and must be public before the comment "
                "period opens."
            )
        errors.update(self._clean_dates())
        return errors

    def _clean_dates(self) -> dict:
        errors = {}
        received = self.notification_received_on
        today = timezone.localdate()
        if received and received > today:
            errors["notification_received_on"] = _(
                "A notification cannot be received in the future."
            )
        if self.acknowledged_on and (not received or self.acknowledged_on < received):
            errors["acknowledged_on"] = _("The acknowledgement follows the notification's receipt.")
        if self.decision_period_extended_to and not received:
            errors["decision_period_extended_to"] = _(
                "Give the date the notification was received."
            )
        for block in self.information_requests:
            asked, answered = block.value.get("requested_on"), block.value.get("received_on")
            if (received and asked and asked < received) or (
                asked and answered and answered < asked
            ):
                errors["information_requests"] = _(
                    "Each request follows the notification, and its answer follows the request."
                )
        return errors

    # --- the public file ------------------------------------------------------------

    @property
    def is_notified_decision(self) -> bool:
        return self.decision_type in NOTIFIED_TYPES

    @property
    def art_21_6_items(self) -> list[tuple[str, str, str]]:
        """(field, label, value) of what Art. 21.6 says is never confidential."""
        address = "\n".join(p for p in (self.notifier_name, self.notifier_address) if p)
        return [
            ("notifier_name", str(_("The notifier's name and address (Art. 21.6(a))")), address),
            (
                "lmo_description",
                str(_("General description of the LMO (Art. 21.6(b))")),
                self.lmo_description,
            ),
            (
                "risk_assessment_summary",
                str(_("Summary of the risk assessment (Art. 21.6(c))")),
                self.risk_assessment_summary,
            ),
            (
                "emergency_response",
                str(_("Methods and plans for emergency response (Art. 21.6(d))")),
                self.emergency_response,
            ),
        ]

    @property
    def public_file_missing(self) -> list[str]:
        """The Art. 21.6 fields a notified decision still lacks."""
        if not self.is_notified_decision:
            return []
        required = {
            "notifier_name": self.notifier_name,
            "notifier_address": self.notifier_address,
            "lmo_description": self.lmo_description,
            "risk_assessment_summary": self.risk_assessment_summary,
            "emergency_response": self.emergency_response,
        }
        return [name for name, value in required.items() if not (value or "").strip()]

    def clocks(self, today=None):
        """The procedure's clocks for this decision (consultations.procedure)."""
        canonical = self.canonical
        return procedure_clocks(canonical, self.outcome, today=today)

    @property
    def procedure_note(self) -> str:
        return procedure_note(self.decision_type)

    @cached_property
    def claims(self):
        """The notifier's confidentiality claims, held by the page in the default language
        (the consultation page's selector fills this from the cache)."""
        canonical = self.canonical
        if canonical.pk is None:
            return []
        if canonical is not self:
            return canonical.claims
        return list(self.confidentiality_claims.all())
