"""Every write of the consultations app: comments, moderation, responses, the outcome.

Views parse input and call one of these; each checks the rule in rules.py itself, so no
caller can skip it, and sends mail only after its transaction commits.
"""

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.rules import can_participate
from core.moderation import (
    ModerationReason,
    ModerationStatus,
    moderation_decide,
    moderation_record,
)
from core.notifications import notify_user, preferred_language
from core.ratelimit import Rate, rate_limit_exceeded
from core.sanitize import html_to_text, sanitize_html

from . import rules
from .models import (
    Comment,
    CommentCounter,
    ConsultationPage,
    ConsultationState,
    Disposition,
    ModerationMode,
    Outcome,
)
from .uploads import check_pdf

logger = logging.getLogger(__name__)

DEFAULT_RATE = "10/60"  # comments per account per minute
RESPONSE_MAX = 10_000
JUSTIFICATION_MAX = 2_000
# SQLite lets one writer in at a time; a submission that meets a lock waits and tries again.
WRITE_ATTEMPTS = 8


def comment_rate() -> Rate:
    return Rate.parse(getattr(settings, "CONSULTATIONS_COMMENT_RATE", DEFAULT_RATE))


def _period_error(consultation) -> ValidationError:
    state = consultation.state
    if state == ConsultationState.UPCOMING:
        message = _("The comment period has not opened yet; it opens on %(when)s UTC.")
        when = consultation.opens_at
    else:
        message = _("The comment period closed on %(when)s UTC; comments are no longer taken.")
        when = consultation.closes_at
    return ValidationError(
        message % {"when": when.astimezone(UTC).strftime("%Y-%m-%d %H:%M")},
        code="period",
    )


@dataclass
class Submission:
    comment: Comment
    created: bool


def comment_submit(
    *,
    consultation: ConsultationPage,
    author,
    body: str,
    submission_token: uuid.UUID,
    section_key: str = "",
    show_name: bool = False,
    confidential: bool = False,
    confidential_justification: str = "",
    attachment=None,
    language: str = "",
) -> Submission:
    """Store one comment, give it the next reference number and send the receipt (Art. 23.2).

    Idempotent per `submission_token` (one per form shown): a double click or a retried
    request returns the comment already stored instead of a second one. Refused, storing
    nothing, outside the comment period, for accounts that may not participate, over the
    rate limit, or for bad input.
    """
    consultation = consultation.canonical
    if not can_participate(author):
        raise PermissionDenied(
            _(
                "Only accounts with a verified e-mail address can comment. Please confirm your "
                "address first."
            )
        )
    existing = _retry_locked(
        lambda: Comment.objects.filter(author=author, submission_token=submission_token).first()
    )
    if existing is not None:
        return Submission(existing, False)
    if not rules.can_comment(author, consultation):
        raise _period_error(consultation)

    errors: dict[str, list] = {}
    clean_body = ""
    try:
        clean_body = sanitize_html(body or "")
    except ValidationError as exc:
        errors["body"] = exc.messages
    if not errors.get("body") and not html_to_text(clean_body):
        errors["body"] = [_("Please write your comment; it is empty.")]
    section = None
    if section_key:
        section = consultation.section_by_key(section_key)
        if section is None:
            errors["section"] = [
                _("This section does not exist in the draft; please choose one from the list.")
            ]
    profile = getattr(author, "profile", None)
    display_name = (profile and profile.display_name) or ""
    if show_name and not display_name:
        errors["show_name"] = [
            _(
                "Your profile has no display name to show. Please add one to your profile, or "
                "untick this box."
            )
        ]
    justification = (confidential_justification or "").strip()
    if confidential and not justification:
        errors["confidential_justification"] = [
            _("Please explain why this comment should be treated as confidential (Art. 21).")
        ]
    if len(justification) > JUSTIFICATION_MAX:
        errors["confidential_justification"] = [
            _("Please keep the justification under %(limit)d characters.")
            % {"limit": JUSTIFICATION_MAX}
        ]
    checked = None
    if attachment:
        try:
            checked = check_pdf(attachment)
        except ValidationError as exc:
            errors["attachment"] = exc.messages
    if errors:
        raise ValidationError(errors)

    if rate_limit_exceeded(scope="consultation-comment", key=author.pk, rate=comment_rate()):
        rate = comment_rate()
        raise ValidationError(
            _(
                "You have sent %(count)d comments in the last %(seconds)d seconds, the most we "
                "accept. Please wait a minute and send it again; nothing was lost from this form."
            )
            % {"count": rate.count, "seconds": rate.seconds},
            code="rate_limited",
        )

    fields = dict(
        consultation=consultation,
        author=author,
        submission_token=submission_token,
        section_key=section["key"] if section else "",
        section_number=section["number"] if section else "",
        body=clean_body,
        body_sha256=hashlib.sha256(clean_body.encode("utf-8")).hexdigest(),
        # Officers need a name to address; without a display name, the account's address.
        author_name=display_name or author.email,
        author_organisation=(profile and profile.organisation) or "",
        author_country=(profile and profile.country) or "",
        author_category=(profile and profile.stakeholder_category) or "",
        show_name=bool(show_name),
        language=(language or get_language() or "")[:8],
        confidential=bool(confidential),
        confidential_justification=justification if confidential else "",
    )
    if checked:
        fields.update(
            attachment_name=checked.name,
            attachment_size=checked.size,
            attachment_sha256=checked.sha256,
        )
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return Submission(_comment_insert(consultation, fields, checked), True)
        except IntegrityError:
            # The same form, sent twice at once: the other request stored it.
            existing = _retry_locked(
                lambda: Comment.objects.filter(
                    author=author, submission_token=submission_token
                ).first()
            )
            if existing is not None:
                return Submission(existing, False)
            logger.warning("Reference clash in consultation %s; retrying", consultation.pk)
        except OperationalError as exc:
            if not _is_lock_error(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    raise ValidationError(
        _(
            "The site is very busy and could not store your comment; nothing was saved. "
            "Please send the form again in a moment."
        ),
        code="busy",
    )


def _is_lock_error(exc: OperationalError) -> bool:
    # SQLite: "database is locked" (another writer), "database table is locked" (shared cache).
    return "locked" in str(exc) or "busy" in str(exc)


def _retry_locked(read):
    """Run a read, waiting out SQLite's writer lock a few times (PostgreSQL never needs it)."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return read()
        except OperationalError as exc:
            if not _is_lock_error(exc) or attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def _comment_insert(consultation, fields: dict, checked) -> Comment:
    with transaction.atomic():
        sequence = _next_sequence(consultation)
        now = timezone.now()
        # Checked again inside the transaction: the deadline may pass while the form is sent.
        if not (consultation.opens_at <= now < consultation.closes_at):
            raise _period_error(consultation)
        comment = Comment(
            **fields,
            sequence=sequence,
            reference=f"{consultation.reference_prefix}-{sequence:04d}",
            submitted_at=now,
        )
        if checked:
            comment.attachment.save("attachment.pdf", ContentFile(checked.content), save=False)
        try:
            comment.full_clean(
                exclude=["attachment", "consultation", "author"],
                validate_unique=False,
                validate_constraints=False,
            )
            comment.save()
        except Exception:
            if comment.attachment:
                comment.attachment.delete(save=False)
            raise
        if consultation.moderation_mode == ModerationMode.POST and not comment.confidential:
            # Post-moderation: visible at once; the decision is logged as the system's.
            moderation_decide(
                item=comment,
                to_status=ModerationStatus.PUBLISHED,
                actor=None,
                note="post-moderation",
            )
        # robust: a mail that cannot be sent must not turn a stored comment into an error.
        transaction.on_commit(lambda: _send_receipt(comment.pk), robust=True)
        return comment


def _next_sequence(consultation) -> int:
    counters = CommentCounter.objects.filter(consultation=consultation)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                CommentCounter.objects.create(consultation=consultation, last=0)
        except IntegrityError:
            pass  # another submission created it first
        counters.update(last=F("last") + 1)
    return counters.values_list("last", flat=True).get()


def _send_receipt(comment_pk: int) -> None:
    comment = _retry_locked(
        lambda: Comment.objects.select_related("author__profile", "consultation").get(pk=comment_pk)
    )
    notify_user(
        user=comment.author,
        template="consultations/mail/receipt",
        context={
            "comment": comment,
            "consultation": comment.consultation,
            "url": comment_url(comment),
        },
    )


def comment_url(comment) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(comment.language or settings.LANGUAGE_CODE):
        path = reverse("consultations:comment", args=[comment.reference])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# --- moderation ----------------------------------------------------------------------


def comment_moderate(
    *, comment: Comment, actor, to_status: str, reason_code: str = "", reason: str = ""
) -> Comment:
    """Publish, reject, hide or restore a comment (core moderation, logged).

    A comment under confidential treatment is never published (Art. 21). The author is told
    of a rejection or a hiding, with the reason.
    """
    consultation = comment.consultation
    if not rules.can_moderate(actor, consultation):
        raise PermissionDenied(_("Only consultation officers moderate comments."))
    if to_status not in ModerationStatus.values:
        raise ValidationError(_("Unknown moderation decision."), code="bad_status")
    if to_status == ModerationStatus.PUBLISHED and comment.confidential:
        raise ValidationError(
            _("This comment asked for confidential treatment (Art. 21); it cannot be published."),
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


def comment_respond(*, comment: Comment, actor, disposition: str, response: str) -> Comment:
    """Record the officers' disposition of a comment and their response to it."""
    if not rules.can_respond(actor, comment.consultation):
        raise PermissionDenied(
            _("Responses are given by consultation officers before the outcome is published.")
        )
    errors = {}
    if disposition not in Disposition.values:
        errors["disposition"] = [_("Please choose a disposition.")]
    response = (response or "").strip()
    if not response:
        errors["response"] = [
            _("Please write the response the commenter and the public will read.")
        ]
    elif len(response) > RESPONSE_MAX:
        errors["response"] = [
            _("Please keep the response under %(limit)d characters.") % {"limit": RESPONSE_MAX}
        ]
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


# --- the comment period and the outcome ----------------------------------------------


def consultation_close_now(*, consultation: ConsultationPage, actor, reason: str) -> None:
    """End the comment period early (e.g. the application was withdrawn), with a reason
    kept in the audit log. The page is republished in every language with the new time."""
    consultation = consultation.canonical
    if not rules.can_close_early(actor, consultation):
        raise PermissionDenied(_("Only an open comment period can be closed, by an officer."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Please say why the period ends early.")]})
    now = timezone.now()
    with transaction.atomic():
        pages = ConsultationPage.objects.filter(translation_key=consultation.translation_key)
        for page in pages:
            page.closes_at = now
            # The officer acts on the period, not the text: Wagtail publish rights not needed.
            page.save_revision(user=actor, log_action=True).publish(
                user=actor, skip_permission_checks=True
            )
        moderation_record(item=consultation, action="close_early", actor=actor, reason=reason)


def outcome_publish(
    *,
    consultation: ConsultationPage,
    actor,
    decision: str,
    decision_date,
    comments_taken_into_account: str,
) -> Outcome:
    """Publish the decision and how comments were taken into account (Art. 23.2), then
    e-mail every commenter the outcome and what happened to their own comments.

    Refused while comments await moderation or lack a disposition: the response to
    comments must be complete when it is published.
    """
    consultation = consultation.canonical
    if not rules.can_publish_outcome(actor, consultation):
        raise PermissionDenied(
            _("The outcome is published by an officer once the comment period has closed.")
        )
    comments = Comment.objects.filter(consultation=consultation)
    waiting = comments.filter(moderation_status=ModerationStatus.PENDING, confidential=False)
    unanswered = comments.needing_response()
    problems = []
    if count := waiting.count():
        problems.append(_("%(count)d comment(s) still await moderation.") % {"count": count})
    if count := unanswered.count():
        problems.append(
            _("%(count)d comment(s) have no disposition and response yet.") % {"count": count}
        )
    outcome = Outcome.objects.filter(consultation=consultation).first() or Outcome(
        consultation=consultation
    )
    outcome.decision = (decision or "").strip()
    outcome.decision_date = decision_date
    outcome.comments_taken_into_account = (comments_taken_into_account or "").strip()
    outcome.language = (get_language() or settings.LANGUAGE_CODE)[:8]
    outcome.published_at = timezone.now()
    outcome.published_by = actor
    try:
        outcome.full_clean(exclude=["consultation"])
    except ValidationError as exc:
        if problems:
            exc.error_dict.setdefault("__all__", []).extend(ValidationError(p) for p in problems)
        raise
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        outcome.save()
        moderation_record(item=consultation, action="publish_outcome", actor=actor)
        pk = consultation.pk
        transaction.on_commit(lambda: _send_outcome(pk))
    consultation.__dict__.pop("outcome", None)
    return outcome


def _send_outcome(consultation_pk: int) -> int:
    consultation = ConsultationPage.objects.get(pk=consultation_pk)
    outcome = Outcome.objects.get(consultation=consultation)
    comments = (
        Comment.objects.filter(consultation=consultation)
        .select_related("author__profile")
        .order_by("author_id", "sequence")
    )
    by_author: dict = {}
    for comment in comments:
        by_author.setdefault(comment.author, []).append(comment)
    # Each commenter gets the link to the page in their own language, where there is one.
    pages = {
        page.locale.language_code: page
        for page in ConsultationPage.objects.filter(
            translation_key=consultation.translation_key
        ).select_related("locale")
    }
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for author, own in by_author.items():
        if author is None:  # the account was deleted
            continue
        page = pages.get(preferred_language(author), consultation)
        sent += notify_user(
            user=author,
            template="consultations/mail/outcome",
            context={
                "consultation": page,
                "outcome": outcome,
                "comments": own,
                "url": base + page.url,
            },
        )
    return sent
