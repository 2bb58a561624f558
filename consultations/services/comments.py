"""Submitting a comment (Art. 23.2): checks, reference number, receipt.

Views parse input and call these; each checks the rule in rules.py itself, so no caller can
skip it, and sends mail only after its transaction commits."""

import functools
import hashlib
import logging
import threading
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from accounts.rules import can_participate, participant
from core.after_response import after_response
from core.moderation import (
    ModerationStatus,
    moderation_decide,
)
from core.notifications import mail_connection, notify_user
from core.ratelimit import Rate, count_ahead, rate_limit_exceeded
from core.sanitize import has_visible_text, sanitize_html
from search import index as search_index

from .. import followup, rules
from ..campaigns.placement import place_comment
from ..models import (
    Comment,
    CommentCounter,
    ConsultationPage,
    ModerationMode,
)
from ..uploads import check_pdf

logger = logging.getLogger(__name__)

DEFAULT_RATE = "10/60"  # comments per account per minute
RESPONSE_MAX = 10_000
JUSTIFICATION_MAX = 2_000
# SQLite lets one writer in at a time; a submission that meets a lock waits and tries again.
WRITE_ATTEMPTS = 8


RATE_SCOPE = "consultation-comment"


def comment_rate() -> Rate:
    return Rate.parse(getattr(settings, "CONSULTATIONS_COMMENT_RATE", DEFAULT_RATE))


def count_comment_ahead(user_pk) -> None:
    """The comment about to be sent by account `user_pk` (the session's, as guessed) will be
    counted against its rate limit: count it with the request's first read of the cache
    (core.ratelimit.count_ahead); given back if the comment is refused before that."""
    if user_pk is not None:
        count_ahead(scope=RATE_SCOPE, key=user_pk, rate=comment_rate())


def _period_error(consultation, period=None) -> ValidationError:
    """Why comments are refused now; `period` is (opens_at, closes_at) as just read from the
    row, when the page in hand may be older."""
    opens_at, closes_at = period or (consultation.opens_at, consultation.closes_at)
    if timezone.now() < opens_at:
        message = _("The comment period has not opened yet; it opens on %(when)s UTC.")
        when = opens_at
    else:
        message = _("The comment period closed on %(when)s UTC; comments are no longer taken.")
        when = closes_at
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
    request=None,
) -> Submission:
    """Store one comment, give it the next reference number and send the receipt (Art. 23.2).

    Idempotent per `submission_token` (one per form shown): a double click or a retried
    request returns the comment already stored instead of a second one. Refused, storing
    nothing, outside the comment period, for accounts that may not participate, over the
    rate limit, or for bad input; and on a page the author cannot see (unpublished, or
    private to them: give the `request`, whose session holds a page password entered).
    """
    reached = consultation
    consultation = consultation.canonical
    if not can_participate(author):
        raise PermissionDenied(
            _(
                "Only accounts with a verified e-mail address can comment. Please confirm your "
                "address first."
            )
        )
    if not rules.can_view_page(author, reached, request=request):
        raise PermissionDenied(_("This consultation is not open to you."))

    # The same form sent again (a double click, a resend) returns the comment it stored. Looked
    # for only where that changes the answer: before a refusal, and when the insert meets the
    # unique (author, token) constraint; a first submission, nearly all of them, skips a query.
    def stored_before():
        return _retry_locked(
            lambda: Comment.objects.filter(author=author, submission_token=submission_token).first()
        )

    if not rules.can_comment(author, reached, request=request):
        if (existing := stored_before()) is not None:
            return Submission(existing, False)
        raise _period_error(consultation)

    errors: dict[str, list] = {}
    clean_body = ""
    try:
        clean_body = sanitize_html(body or "")
    except ValidationError as exc:
        errors["body"] = exc.messages
    if not errors.get("body") and not has_visible_text(clean_body):
        errors["body"] = [_("Please write your comment; it is empty.")]
    section = None
    if section_key:
        section = consultation.section_by_key(section_key)
        if section is None:
            errors["section"] = [
                _("This section does not exist in the draft; please choose one from the list.")
            ]
    # The profile as the cache keeps it beside the verified address (accounts.rules).
    person = participant(author)
    display_name = person.display_name
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
            _("Please say why your comment should not be published; an officer reads the reason.")
        ]
    if len(justification) > JUSTIFICATION_MAX:
        errors["confidential_justification"] = [
            _("Please keep the reason under %(limit)d characters.") % {"limit": JUSTIFICATION_MAX}
        ]
    checked = None
    if attachment:
        try:
            checked = check_pdf(attachment)
        except ValidationError as exc:
            errors["attachment"] = exc.messages
    if errors:
        raise ValidationError(errors)

    if rate_limit_exceeded(scope=RATE_SCOPE, key=author.pk, rate=comment_rate()):
        if (existing := stored_before()) is not None:
            return Submission(existing, False)
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
        author_organisation=person.organisation,
        author_country=person.country,
        author_category=person.stakeholder_category,
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
            return Submission(_comment_insert(consultation, reached, fields, checked), True)
        except IntegrityError:
            # The same form sent twice: the other request (earlier, or at the same time)
            # stored it.
            if (existing := stored_before()) is not None:
                return Submission(existing, False)
            logger.warning("Reference clash in consultation %s; retrying", consultation.pk)
        except (ValidationError, PermissionDenied):
            # Refused as the rows say now (the period closed since the cached page was read):
            # a form sent again finds what it stored before, as above.
            if (existing := stored_before()) is not None:
                return Submission(existing, False)
            raise
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


READ_ATTEMPTS = 20  # about 10 s of waiting in all


def _retry_locked(read):
    """Run a read, waiting out SQLite's writer lock (PostgreSQL never needs it). A shared-cache
    lock ("database table is locked") does not wait on SQLite's busy timeout: it is waited out
    here, for longer than a write is retried, since a reader that gives up fails the request."""
    for attempt in range(READ_ATTEMPTS):
        try:
            return read()
        except OperationalError as exc:
            if not _is_lock_error(exc) or attempt == READ_ATTEMPTS - 1:
                raise
            time.sleep(min(0.05 * (attempt + 1), 0.5))
    return None


# Set below, or by the system with its defaults, or copied from the profile, which checked
# them when it was saved (the country's check walks 250 choices: 1 ms a comment).
_NOT_CHECKED = (
    "attachment",
    "consultation",
    "author",
    "sequence",
    "reference",
    "submitted_at",
    "author_country",
    "author_category",
    "moderation_status",
    "moderation_reason_code",
    "disposition",
)


def _comment_insert(consultation, reached, fields: dict, checked) -> Comment:
    # Checked and written before the transaction: the counter's row lock (one consultation's
    # writers wait on it in turn) is held only for the insert and its moderation record.
    comment = Comment(**fields)
    comment.full_clean(exclude=_NOT_CHECKED, validate_unique=False, validate_constraints=False)
    if checked:
        comment.attachment.save("attachment.pdf", ContentFile(checked.content), save=False)
    post_moderated = (
        consultation.moderation_mode == ModerationMode.POST and not comment.confidential
    )
    try:
        if connection.vendor == "postgresql" and not post_moderated:
            # Nothing else is written with it: one statement, no transaction round trips.
            _insert_numbered(comment, consultation, reached)
        else:
            with transaction.atomic():
                _insert_in_transaction(comment, consultation, reached)
                if post_moderated:
                    # Post-moderation: visible at once; the decision is logged as the system's.
                    moderation_decide(
                        item=comment,
                        to_status=ModerationStatus.PUBLISHED,
                        actor=None,
                        note="post-moderation",
                    )
        # The rest after the answer is sent (comment_followup): the commenter sees their
        # reference at once, and the counter's lock is not held while it runs.
        transaction.on_commit(lambda: _followup_later(comment.pk))
    except Exception:
        if comment.attachment:
            comment.attachment.delete(save=False)
        comment.pk = None
        raise
    return comment


def _insert_in_transaction(comment, consultation, reached) -> None:
    sequence = _next_sequence(consultation)
    now = timezone.now()
    # Checked again against the rows, inside the transaction: the deadline may pass while
    # the form is sent, and the cached page (consultations.intake) is not the last word.
    _check_rows(consultation, reached, now)
    comment.sequence = sequence
    comment.reference = _reference(consultation, sequence)
    comment.submitted_at = now
    comment.save()


def _reference(consultation, sequence: int) -> str:
    return f"{consultation.reference_prefix}-{sequence:04d}"


# The comment's columns but the three the statement below works out; their order is fixed.
_INSERTED = [
    f
    for f in Comment._meta.concrete_fields
    if not f.primary_key and f.name not in {"sequence", "reference", "submitted_at"}
]


def _cast(field) -> str:
    # Strings as text, which the column's own type then checks (too long is an error); an
    # explicit cast to varchar(n) would cut them short instead.
    db_type = field.cast_db_type(connection)
    return "text" if db_type.startswith(("varchar", "char")) else db_type


@functools.cache
def _numbered_insert_sql() -> str:
    qn = connection.ops.quote_name
    return f"""
        WITH counter AS (
            UPDATE {qn(CommentCounter._meta.db_table)} SET last = last + 1
            WHERE consultation_id = %s AND EXISTS (
                SELECT 1 FROM {qn(ConsultationPage._meta.db_table)} c, {qn(Page._meta.db_table)} p
                WHERE c.page_ptr_id = %s AND c.opens_at <= %s AND %s < c.closes_at
                  AND p.id = %s AND p.live
            )
            RETURNING last
        )
        INSERT INTO {qn(Comment._meta.db_table)}
            ({", ".join(qn(f.column) for f in _INSERTED)}, sequence, reference, submitted_at)
        SELECT {", ".join(f"%s::{_cast(f)}" for f in _INSERTED)}, counter.last,
            %s || '-' || CASE WHEN counter.last < 10000
                THEN lpad(counter.last::text, 4, '0') ELSE counter.last::text END,
            %s
        FROM counter
        RETURNING id, sequence, reference
    """  # noqa: S608 (names from the models; values are parameters)


def _insert_numbered(comment, consultation, reached) -> None:
    """PostgreSQL: number and store the comment in one statement. The counter's UPDATE runs
    only while the consultation's period is open and the page reached is live, as the rows
    say at that moment; its row lock orders the consultation's writers until the statement
    commits. SQLite, which has no UPDATE in a WITH clause, takes `_insert_in_transaction`."""
    now = timezone.now()
    sql = _numbered_insert_sql()
    params = [consultation.pk, consultation.pk, now, now, reached.pk]
    params += [f.get_db_prep_save(f.pre_save(comment, True), connection) for f in _INSERTED]
    params += [consultation.reference_prefix, now]
    for _attempt in range(2):
        # Its own statement in autocommit; inside a caller's transaction, a savepoint, so that
        # a refusal (the same form's token stored twice) leaves that transaction usable.
        with (
            transaction.atomic() if connection.in_atomic_block else nullcontext(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            break
        # Nothing stored: the period closed, the page was withdrawn, or this is the
        # consultation's first comment and its counter is missing. Which one is read here,
        # off the hot path; the counter is made and the statement run again.
        _check_rows(consultation, reached, now)
        _make_counter(consultation)
    else:
        raise _period_error(consultation)
    comment.pk, comment.sequence, comment.reference = row
    comment.submitted_at = now
    comment._state.adding = False
    comment._state.db = connection.alias


def _check_rows(consultation, reached, now) -> None:
    """Refuse, as the rows say now, a period not open or a page no longer live."""
    period = (
        ConsultationPage.objects.filter(pk=consultation.pk)
        .values_list("opens_at", "closes_at")
        .first()
    )
    if period is None or not (period[0] <= now < period[1]):
        raise _period_error(consultation, period)
    if not Page.objects.filter(pk=reached.pk, live=True).exists():
        raise PermissionDenied(_("This consultation is not open to you."))


def _make_counter(consultation) -> None:
    try:
        with transaction.atomic():
            CommentCounter.objects.create(consultation=consultation, last=0)
    except IntegrityError:
        pass  # another submission created it first


def _next_sequence(consultation) -> int:
    """The next number, from the counter's row: the row lock taken here is what orders the
    consultation's submissions, held until the caller's transaction ends."""
    number = _increment(consultation.pk)
    if number is None:
        _make_counter(consultation)
        number = _increment(consultation.pk)
    return number


def _increment(consultation_id: int) -> int | None:
    # One statement (UPDATE … RETURNING; SQLite has it since 3.35): the lock is held from
    # here to the commit, with no second round trip to read the number back.
    table = connection.ops.quote_name(CommentCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE consultation_id = %s RETURNING last",  # noqa: S608
            [consultation_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


# Comments of this process waiting for their follow-up. Whichever queued task runs first
# takes them all: under load the background thread (core.after_response) finds several
# waiting, and indexes each consultation's batch at once, or hands the batch to the follow-up
# workers in one push (the answer no longer waits for a Redis round trip of its own).
_waiting: set[int] = set()
_waiting_lock = threading.Lock()


def _followup_later(comment_pk: int) -> None:
    with _waiting_lock:
        _waiting.add(comment_pk)
    after_response(_followup_waiting)


def _followup_waiting() -> None:
    with _waiting_lock:
        pks = sorted(_waiting)
        _waiting.clear()
    if pks and not (followup.by_worker() and followup.hand_over(pks)):
        comments_followup(pks)


def comment_followup(comment_pk: int) -> None:
    comments_followup([comment_pk])


def comments_followup(comment_pks: list[int]) -> None:
    """What stored comments need once the commenter has their answer: their search entries,
    their campaigns (issue 15) and their receipts (Art. 23.2), each failing on its own.

    Run after the response (core.after_response); `manage.py consultations_receipts` runs it
    again for the comments whose receipt was never marked sent, so a crash in between loses
    nothing. Each step is idempotent: the index is rewritten, a placed comment stays placed,
    and a receipt is sent once (comment_receipt_send)."""
    comments = _retry_locked(lambda: list(Comment.objects.filter(pk__in=comment_pks)))
    by_consultation: dict[int, list[int]] = {}
    for comment in comments:
        by_consultation.setdefault(comment.consultation_id, []).append(comment.pk)
    for consultation_id, pks in by_consultation.items():
        _index(consultation_id, pks)
    for comment in comments:
        try:
            place_comment(comment.pk)
        except Exception:
            logger.exception("campaign placement of comment %s failed", comment.pk)
    # One read of each consultation for the batch's receipts, not a join per receipt.
    consultations = ConsultationPage.objects.in_bulk({c.consultation_id for c in comments})
    with mail_connection() as connection:
        for comment in comments:
            comment_receipt_send(
                comment.pk,
                consultation=consultations.get(comment.consultation_id),
                connection=connection,
            )


def _index(consultation_id: int, comment_pks: list[int]) -> None:
    # As search.index.refresh does for one comment, for a batch: one read of the page and
    # its translations, one write. A failure leaves the entries to the next rebuild or run
    # of consultations_receipts; search results are checked against the policy when read.
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            search_index.refresh_comments(consultation_id, comment_ids=comment_pks)
    except Exception:
        if getattr(settings, "SEARCH_RAISE_ERRORS", False):
            raise
        logger.exception("search entries of comments %s not written", comment_pks)


def comment_receipt_send(comment_pk: int, *, consultation=None, connection=None) -> bool:
    """Send the comment's receipt unless it was sent; mark it sent. Returns whether this call
    sent it. The row is locked while the mail goes, so of two senders at once the second
    waits and then finds it marked: one receipt, not two. (Not SKIP LOCKED: other writes
    lock the row too, a campaign placing it for one, and the receipt must not be skipped for
    them.) A mail server that refuses leaves it unmarked, for the next run of the command.
    `connection`: a batch's connection to the mail server (core.notifications.mail_connection)."""
    with transaction.atomic():
        comment = (
            Comment.objects.filter(pk=comment_pk, receipt_sent_at__isnull=True)
            .select_for_update(of=("self",))
            .select_related("author__profile")
            .first()
        )
        if comment is None:
            return False
        if consultation is not None and consultation.pk == comment.consultation_id:
            comment.consultation = consultation
        sent = comment.author is None or notify_user(
            user=comment.author,
            template="consultations/mail/receipt",
            context={
                "comment": comment,
                "consultation": comment.consultation,
                "url": comment_url(comment),
            },
            connection=connection,
        )
        if not sent and comment.author.email and comment.author.is_active:
            return False  # the mail server failed (logged): tried again later
        # Sent, or nobody to send it to (an account deleted or closed since): done either way.
        Comment.objects.filter(pk=comment_pk).update(receipt_sent_at=timezone.now())
    return sent is True


def comment_receipts_pending(*, older_than, newer_than):
    """Comments submitted in (newer_than, older_than] whose receipt is not marked sent: their
    follow-up never ran, or the mail server refused it."""
    return Comment.objects.filter(
        receipt_sent_at__isnull=True,
        submitted_at__lte=older_than,
        submitted_at__gt=newer_than,
    ).order_by("pk")


def comment_url(comment) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(comment.language or settings.LANGUAGE_CODE):
        path = reverse("consultations:comment", args=[comment.reference])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# The name tests/consultations/test_confidentiality.py imports.
_send_receipt = comment_receipt_send
