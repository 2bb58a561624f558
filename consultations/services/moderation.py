"""Officers' decisions on comments: moderation (core) and responses."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderation import (
    ModerationReason,
    ModerationStatus,
    moderation_decide,
    moderation_record,
)
from core.notifications import notify_user
from search import index as search_index

from .. import rules
from ..models import (
    Comment,
    Disposition,
)
from .comments import RESPONSE_MAX, comment_url

logger = logging.getLogger(__name__)

# --- moderation ----------------------------------------------------------------------


def comment_moderate(
    *, comment: Comment, actor, to_status: str, reason_code: str = "", reason: str = ""
) -> Comment:
    """Publish, reject, hide or restore a comment (core moderation, logged).

    A comment its author asked not to publish (a privacy request under national law, not an
    Art. 21 claim) is never published. Once the outcome is published the record is fixed: a
    comment may only be hidden (rules.can_moderate_to). The author is told of a rejection or a
    hiding, with the reason.
    """
    consultation = comment.consultation
    if not rules.can_moderate(actor, consultation):
        raise PermissionDenied(_("Only consultation officers moderate comments."))
    if to_status not in ModerationStatus.values:
        raise ValidationError(_("Unknown moderation decision."), code="bad_status")
    if not rules.can_moderate_to(actor, consultation, to_status):
        raise PermissionDenied(
            _(
                "The outcome of this consultation is published, so its record is fixed: a "
                "comment can now only be hidden, not published, restored or rejected."
            )
        )
    if to_status == ModerationStatus.PUBLISHED and comment.confidential:
        raise ValidationError(
            _(
                "The commenter asked that this comment not be published (a privacy request); "
                "it cannot be published."
            ),
            code="confidential",
        )
    if reason_code and reason_code not in ModerationReason.values:
        raise ValidationError(_("Unknown moderation reason."), code="bad_reason")
    with transaction.atomic():
        moderation_decide(
            item=comment,
            to_status=to_status,
            actor=actor,
            reason_code=reason_code,
            reason=reason or "",
        )
        search_index.refresh(comment)
        if to_status in (ModerationStatus.REJECTED, ModerationStatus.HIDDEN):
            pk = comment.pk
            transaction.on_commit(lambda: _send_decision(pk))
    return comment


def _send_decision(comment_pk: int) -> None:
    comment = Comment.objects.select_related("author__profile", "consultation").get(pk=comment_pk)
    if comment.author is None:
        return
    notify_user(
        user=comment.author,
        template="consultations/mail/decision",
        context={
            "comment": comment,
            "consultation": comment.consultation,
            "url": comment_url(comment),
        },
    )


def response_errors(disposition: str, response: str, *, missing: str) -> dict[str, list]:
    """What is wrong with an officers' disposition and (stripped) response, by field; `missing`
    says who reads the response (one commenter, or a campaign's)."""
    errors = {}
    if disposition not in Disposition.values:
        errors["disposition"] = [_("Please choose a disposition.")]
    if not response:
        errors["response"] = [missing]
    elif len(response) > RESPONSE_MAX:
        errors["response"] = [
            _("Please keep the response under %(limit)d characters.") % {"limit": RESPONSE_MAX}
        ]
    return errors


def comment_respond(*, comment: Comment, actor, disposition: str, response: str) -> Comment:
    """Record the officers' disposition of a comment and their response to it."""
    if not rules.can_respond(actor, comment.consultation):
        raise PermissionDenied(
            _("Responses are given by consultation officers before the outcome is published.")
        )
    response = (response or "").strip()
    errors = response_errors(
        disposition,
        response,
        missing=_("Please write the response the commenter and the public will read."),
    )
    if comment.moderation_status == ModerationStatus.REJECTED:
        errors["disposition"] = [_("A rejected comment gets no response.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        Comment.objects.filter(pk=comment.pk).update(
            disposition=disposition, response=response, responded_by=actor, responded_at=now
        )
        comment.disposition, comment.response = disposition, response
        comment.responded_by, comment.responded_at = actor, now
        moderation_record(item=comment, action="respond", actor=actor, note=disposition)
    return comment
