"""Campaigns: comments that are copies, or edited copies, of one text (issue 15).

A comment's campaign is on the comment (`Comment.campaign`, with what the copy adds); the
campaign keeps the reconstructed common text, the officers' decisions and the response
given once for every member. `CampaignBucket` is the near-duplicate index: the MinHash
band keys of each placed comment, filed under the group it joined, so that placing a
comment is a few indexed look-ups whatever the number of comments, and every worker
process reads the same index.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .comments import Disposition


class Campaign(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="campaigns"
    )
    number = models.PositiveIntegerField(_("number"))
    # The comment whose band keys name this group in the index: the first member.
    key_comment = models.OneToOneField(
        "consultations.Comment", on_delete=models.CASCADE, related_name="+"
    )
    common_text = models.TextField(_("common text"), blank=True)
    size = models.PositiveIntegerField(_("members"), default=0)
    first_at = models.DateTimeField(_("first arrival"), null=True)
    last_at = models.DateTimeField(_("last arrival"), null=True)
    # "Not a campaign": its members are individual comments, and stay so.
    dismissed = models.BooleanField(_("not a campaign"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The response given once; every member without its own response carries it.
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultations_campaign_number"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"C{self.number}"

    @property
    def active(self) -> bool:
        return not self.dismissed and self.merged_into_id is None


class CampaignBucket(models.Model):
    """One MinHash band key of a placed comment, filed under its group's key comment (an
    individual comment is a group of one). Unique per group: a thousand exact copies add
    no rows, and a look-up returns the groups, not their members.

    Derived data, rewritten whole by a regrouping (hundreds of thousands of rows for
    100,000 comments): no foreign-key constraint in the database, whose checks at commit
    were a fifth of a regrouping's time, and no index of its own on the consultation (the
    unique index begins with it). Deleting a comment or a consultation still deletes its
    rows (Django's on_delete), and a key whose comment is gone finds nothing."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    bucket = models.BigIntegerField()
    key_comment = models.ForeignKey(
        "consultations.Comment", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "bucket", "key_comment"],
                name="consultations_campaign_bucket",
            ),
        ]

    def __str__(self):
        return f"{self.bucket} → {self.key_comment_id}"
