"""The end of a comment period and the published outcome (Art. 23.2)."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.moderation import (
    moderation_record,
)
from core.notifications import mail_connection, notify_user, preferred_language
from search import index as search_index

from .. import rules
from ..models import (
    Comment,
    ConsultationPage,
    Outcome,
)

logger = logging.getLogger(__name__)

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


BLOCKERS_NAMED = 20  # the refusal names this many blocking comments, then counts the rest


def outcome_blockers(consultation: ConsultationPage) -> list[ValidationError]:
    """Why the outcome cannot be published yet: one error per comment that still awaits
    moderation (code "awaiting_moderation") or a response ("needs_response"), each carrying
    the comment's reference, so officers are told which ones; beyond BLOCKERS_NAMED, a count."""
    comments = Comment.objects.filter(consultation=consultation.canonical).order_by("sequence")
    problems = []
    for queryset, code, one, more in (
        (
            comments.awaiting_moderation(),
            "awaiting_moderation",
            _("%(reference)s still awaits moderation."),
            _("%(count)d more comments still await moderation."),
        ),
        (
            comments.needing_response(),
            "needs_response",
            _("%(reference)s has no disposition and response yet."),
            _("%(count)d more comments have no disposition and response yet."),
        ),
    ):
        references = list(queryset.values_list("reference", flat=True)[: BLOCKERS_NAMED + 1])
        for reference in references[:BLOCKERS_NAMED]:
            problems.append(ValidationError(one, code=code, params={"reference": reference}))
        if len(references) > BLOCKERS_NAMED:
            rest = queryset.count() - BLOCKERS_NAMED
            problems.append(ValidationError(more, code=code, params={"count": rest}))
    return problems


def outcome_publish(
    *,
    consultation: ConsultationPage,
    actor,
    decision: str,
    decision_date,
    comments_taken_into_account: str,
    result: str = "",
    reasons: str = "",
    conditions: str = "",
    bch_record_url: str = "",
    bch_record_date=None,
) -> Outcome:
    """Publish the decision and how comments were taken into account (Art. 23.2), then
    e-mail every commenter the outcome and what happened to their own comments.

    Refused while comments await moderation or lack a disposition: the response to
    comments must be complete when it is published. `Outcome.clean` holds the rules of the
    decision itself: dated on or after the close of the comment period, reasons unless the
    approval is unconditional (Art. 10.4), conditions, the BCH record (Art. 10.3, 11.1).
    """
    consultation = consultation.canonical
    if not rules.can_publish_outcome(actor, consultation):
        raise PermissionDenied(
            _("The outcome is published by an officer once the comment period has closed.")
        )
    problems = outcome_blockers(consultation)
    outcome = Outcome.objects.filter(consultation=consultation).first() or Outcome(
        consultation=consultation
    )
    outcome.decision = (decision or "").strip()
    outcome.decision_date = decision_date
    outcome.comments_taken_into_account = (comments_taken_into_account or "").strip()
    outcome.result = result or ""
    outcome.reasons = (reasons or "").strip()
    outcome.conditions = (conditions or "").strip()
    outcome.bch_record_url = (bch_record_url or "").strip()
    outcome.bch_record_date = bch_record_date or None
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
        search_index.refresh(outcome)
        moderation_record(item=consultation, action="publish_outcome", actor=actor)
        pk = consultation.pk
        transaction.on_commit(lambda: _send_outcome(pk))
        # Followers of the consultation (follows app) hear of the outcome too.
        from follows.notices import notify_outcome_on_commit

        notify_outcome_on_commit(consultation)
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
    # One connection for every commenter's mail: a consultation of thousands of comments
    # opened (over SMTP with TLS) one per mail.
    with mail_connection() as connection:
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
                connection=connection,
            )
    return sent
