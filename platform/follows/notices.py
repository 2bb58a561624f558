"""Which followers of consultations are due a mail, and sending it (the `send_follow_notices`
command runs it, and the outcome service calls `notify_outcome_on_commit` when an outcome is
published). Forum rounds: follows.rounds, mailed through `deliver` here.

Mails only ever name consultations the visibility policy shows the public: live, not
restricted (`ConsultationPage.objects.live().public()`); a follow of a consultation that was
withdrawn or made private sends nothing.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.notifications import preferred_language

from .models import Follow, FollowKind, Notice, NoticeEvent
from .services import unsubscribe_token

logger = logging.getLogger(__name__)
CLOSING_SOON = timedelta(days=3)


def _public_consultations():
    from consultations.models import ConsultationPage

    return ConsultationPage.objects.live().public().select_related("locale")


def _in_language(pages: list, language: str):
    """The consultation as the person reads it: their language's page, else the first."""
    for page in pages:
        if page.locale.language_code.split("-")[0] == language.split("-")[0]:
            return page
    return pages[0]


def due_notices(now=None) -> tuple[list[tuple[Follow, str, str]], dict]:
    """(follow, event, consultation key) not yet sent, for every public consultation; and the
    public consultation pages by key (every language)."""
    from consultations.models import Outcome

    now = now or timezone.now()
    by_key: dict[str, list] = {}
    for page in _public_consultations():
        by_key.setdefault(str(page.translation_key), []).append(page)
    published = set(
        str(k)
        for k in Outcome.objects.filter(published_at__isnull=False).values_list(
            "consultation__translation_key", flat=True
        )
    )
    follows = list(
        Follow.objects.filter(kind=FollowKind.CONSULTATION, target__in=list(by_key)).select_related(
            "user", "user__profile"
        )
    )
    type_follows = list(
        Follow.objects.filter(kind=FollowKind.DECISION_TYPE).select_related("user", "user__profile")
    )
    sent = set(Notice.objects.values_list("follow_id", "event", "subject_key"))
    due = []
    for key, pages in by_key.items():
        page = pages[0]
        events = []
        if page.opens_at <= now < page.closes_at:
            events.append(NoticeEvent.OPENED)
            if page.closes_at - now <= CLOSING_SOON:
                events.append(NoticeEvent.CLOSING_SOON)
        if key in published:
            events.append(NoticeEvent.OUTCOME)
        for follow in follows:
            if follow.target != key:
                continue
            for event in events:
                # "It opened" is news only to someone who followed before it opened.
                if event == NoticeEvent.OPENED and follow.created_at > page.opens_at:
                    continue
                due.append((follow, event, key))
        if NoticeEvent.OPENED in events:
            for follow in type_follows:
                if follow.target == page.decision_type and follow.created_at <= page.opens_at:
                    due.append((follow, NoticeEvent.OPENED, key))
    return [d for d in due if (d[0].pk, d[1], d[2]) not in sent], by_key


def _record(follow: Follow, event: str, subject_key: str) -> bool:
    """Records the notice before it is sent; False if it already was (never sent twice)."""
    try:
        with transaction.atomic():
            Notice.objects.create(follow=follow, event=event, subject_key=subject_key)
    except IntegrityError:
        return False  # another run sent it
    return True


def deliver(follow: Follow, event: str, template: str, context: dict) -> bool:
    """Renders `<template>_subject.txt` / `<template>_body.txt` in the person's language (the
    caller's `context` is built inside that language: a callable gets the language and
    returns it) and sends them with a one-click unsubscribe link and the List-Unsubscribe
    headers (RFC 2369, RFC 8058)."""
    user = follow.user
    language = preferred_language(user)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(language):
        unsubscribe_url = base + reverse(
            "follows:unsubscribe", kwargs={"token": unsubscribe_token(follow)}
        )
        context = {
            **context(language, base),
            "user": user,
            "event": event,
            "follow": follow,
            "unsubscribe_url": unsubscribe_url,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(
        subject=f"[Biosafety] {subject}",
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s notice to user %s", event, user.pk)
        return False
    return True


def send_notice(follow: Follow, event: str, pages: list) -> bool:
    """One mail about one consultation, in the person's language, recorded first."""
    user = follow.user
    if not user.email or not user.is_active:
        return False
    if not _record(follow, event, str(pages[0].translation_key)):
        return False

    def context(language, base):
        page = _in_language(pages, language)
        return {"consultation": page, "consultation_url": base + page.url}

    return deliver(follow, event, "follows/mail/notice", context)


def send_due_notices(now=None, *, event: str | None = None, key: str | None = None) -> int:
    """Consultation notices (all, or one event of one consultation), then, when called
    without a filter (the command), the forum rounds' notices (follows.rounds)."""
    from .rounds import send_due_round_notices

    due, by_key = due_notices(now)
    sent = sum(
        1
        for follow, ev, k in due
        if (event is None or ev == event)
        and (key is None or k == key)
        and send_notice(follow, ev, by_key[k])
    )
    if event is None and key is None:
        sent += send_due_round_notices(now)
    return sent


def notify_outcome_on_commit(consultation) -> None:
    """Called by the service that publishes an outcome: its followers are mailed once the
    transaction commits (the command catches any mail this misses)."""
    key = str(consultation.translation_key)
    transaction.on_commit(lambda: send_due_notices(event=NoticeEvent.OUTCOME, key=key))
