"""Comments on a consultation, and the per-consultation counter behind their references."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.moderation import Moderated, ModeratedQuerySet, ModerationStatus
from core.stakeholders import StakeholderCategory


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    NOTED = "noted", _("Noted")


def _private_root() -> str:
    # Beside MEDIA_ROOT, never under it: MEDIA_URL is served publicly, and an attachment
    # may belong to a comment its author asked not to publish. Downloads go through a view
    # that checks permission.
    return getattr(settings, "CONSULTATIONS_PRIVATE_ROOT", None) or f"{settings.MEDIA_ROOT}-private"


class PrivateStorage(FileSystemStorage):
    """Files outside the public media folder; the location is read when first used."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, _private_root())

    @cached_property
    def location(self):
        return str(Path(self.base_location).resolve())

    @cached_property
    def base_url(self):
        return None

    def _save(self, name, content):
        # The folder sits beside the project's media/ in development: keep it out of git.
        marker = Path(self.location) / ".gitignore"
        if not marker.exists():
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text("*\n")
        return super()._save(name, content)


private_storage = PrivateStorage()


def attachment_path(instance, filename: str) -> str:
    # Never the uploader's file name on disk: it may hold personal data or path tricks.
    return f"consultations/{instance.consultation_id}/{uuid.uuid4().hex}.pdf"


PUBLIC = models.Q(moderation_status=ModerationStatus.PUBLISHED, confidential=False)


class CommentQuerySet(ModeratedQuerySet):
    """The reads of comments. Who may see what is decided here and in `rules.py` (the table
    is in docs/permissions.md); every channel starts from `visible_to` or `public`."""

    def public(self):
        """What anyone may read: published and not withheld at the commenter's request."""
        return self.filter(PUBLIC)

    def not_public(self):
        return self.exclude(PUBLIC)

    def awaiting_moderation(self):
        """Comments an officer must still publish or reject. A confidential comment is never
        published (Art. 21), so it does not wait for moderation, only for a response. The
        officers' counts, their "Awaiting moderation" filter and the outcome check all ask
        this one method, so they always count the same comments."""
        return self.filter(moderation_status=ModerationStatus.PENDING, confidential=False)

    def needing_response(self):
        """Published comments, and those withheld at the commenter's request (never
        published), without a response: the outcome waits for these (Art. 23.2: how the
        comments were taken into account)."""
        return self.filter(disposition="").filter(
            models.Q(moderation_status=ModerationStatus.PUBLISHED)
            | models.Q(moderation_status=ModerationStatus.PENDING, confidential=True)
        )

    def for_consultation(self, consultation):
        """One consultation's comments, whichever language version of its page is given."""
        if consultation.canonical.pk is None:  # a new page in the editor's preview
            return self.none()
        return self.filter(consultation=consultation.canonical)

    def own(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)

    def public_or_own(self, user):
        """The public ones and `user`'s own in any state, in one query (the page shows both,
        apart: split them with `Comment.is_public`)."""
        if not user.is_authenticated:
            return self.public()
        return self.filter(PUBLIC | models.Q(author=user))

    def visible_to(self, user, consultation, *, request=None):
        """What `user` may read of `consultation`'s comments, reached through that page (a
        language version): nothing while the page is unpublished or private to them (Wagtail
        page privacy, checked against `request`); else the public ones and their own in any
        state. Officers read everything. Public channels add `.public()`."""
        from .. import rules

        comments = self.for_consultation(consultation)
        if rules.can_manage(user, consultation):
            return comments
        if not rules.can_view_page(user, consultation, request=request):
            return comments.none()
        if user.is_authenticated:
            return comments.filter(PUBLIC | models.Q(author=user))
        return comments.filter(PUBLIC)


class Comment(Moderated):
    """A member of the public's comment on a pending decision (Art. 23.2).

    The commenter's name, organisation, country and category are copied from the profile at
    submission time: the record shows who spoke as they presented themselves then, whatever
    they change later. `show_name` is their choice for this comment; officers always see it.
    """

    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="comments"
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    reference = models.CharField(_("reference number"), max_length=40, unique=True)
    # SET_NULL: deleting an account keeps the record of what was said (with the snapshot
    # below) instead of blocking the deletion or erasing the comment.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_comments",
    )
    submission_token = models.UUIDField(_("submission token"))
    section_key = models.CharField(_("section"), max_length=64, blank=True, db_index=True)
    section_number = models.CharField(_("section number"), max_length=12, blank=True)
    body = models.TextField(_("comment"))
    body_sha256 = models.CharField(max_length=64)
    # The snapshot of the profile (see the docstring).
    author_name = models.CharField(_("name"), max_length=80)
    author_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    author_country = CountryField(_("country"), blank=True)
    author_category = models.CharField(
        _("stakeholder category"), max_length=16, choices=StakeholderCategory.choices, blank=True
    )
    show_name = models.BooleanField(_("name shown publicly"), default=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, storage=private_storage, blank=True
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=200, blank=True)
    attachment_size = models.PositiveIntegerField(_("attachment size"), null=True, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    # "Do not publish my comment": the commenter's privacy request under national law, not
    # an Art. 21 claim (Art. 21 concerns the notifier's information, on the decision file).
    # Such a comment is never published nor exported publicly; officers read it and answer
    # it. The field keeps its historical name.
    confidential = models.BooleanField(
        _("not to be published (privacy request)"),
        default=False,
        help_text=_(
            "The commenter asked that this comment not be published: a privacy request under "
            "national law, handled by consultation officers. It is never published."
        ),
    )
    confidential_justification = models.TextField(_("reason for the privacy request"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # The officers' answer, published with the outcome.
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    # Campaigns (issue 15, consultations/campaigns/): the campaign this comment is a copy in,
    # what it adds to the campaign's common text, and the officers' decisions that regrouping
    # keeps (pinned: placed by an officer; excluded: split out or "not a campaign").
    campaign = models.ForeignKey(
        "consultations.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    campaign_added_text = models.TextField(_("added text"), blank=True)
    campaign_substantive = models.BooleanField(_("substantive addition"), default=False)
    campaign_pinned = models.BooleanField(default=False)
    campaign_excluded = models.BooleanField(default=False)
    # When the receipt went (or was given up: no account to send it to). Empty: the follow-up
    # after the answer has not run yet, or died; `manage.py consultations_receipts` repairs.
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "sequence"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "sequence"], name="consultations_comment_sequence"
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"], name="consultations_comment_token"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def public_label(self) -> str:
        """How the public sees the commenter: the name only with consent."""
        if self.show_name and self.author_name:
            return self.author_name
        parts = [
            str(label)
            for label in (self.get_author_category_display(), self.author_country.name)
            if label
        ]
        return " · ".join(parts) or str(_("A participant"))

    @property
    def is_public(self) -> bool:
        return self.moderation_status == ModerationStatus.PUBLISHED and not self.confidential


class CommentCounter(models.Model):
    """The last sequence number given in one consultation.

    Incremented with an UPDATE inside the submitting transaction: the row lock serialises
    concurrent submissions, so each gets the next number and a rolled-back one gives its
    number back.
    """

    consultation = models.OneToOneField(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="+"
    )
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.consultation_id}: {self.last}"
