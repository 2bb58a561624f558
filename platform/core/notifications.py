"""E-mail to one person, in their preferred language (forums and consultations share it)."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def preferred_language(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile and profile.preferred_language) or settings.LANGUAGE_CODE


@contextmanager
def mail_connection():
    """One open connection to the mail server for several `notify_user` calls, or None (each
    mail then opens its own) if it cannot be opened now. Over SMTP with TLS, opening costs
    more round trips than sending one mail: a batch of receipts in a deadline flood went out
    at a connection each."""
    connection = get_connection()
    if not _open(connection):
        yield None
        return
    try:
        yield connection
    finally:
        _close(connection)


def _open(connection) -> bool:
    try:
        connection.open()
    except Exception:
        logger.exception("Could not open a connection to the mail server")
        return False
    return True


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)


def notify_user(
    *, user, template: str, context: dict, fail_silently: bool = True, connection=None
) -> bool:
    """Send `<template>_subject.txt` / `<template>_body.txt` (and `_body.html` if it exists)
    to `user`, rendered in their preferred language. Returns whether it was sent.

    Call it from `transaction.on_commit` in services: a rolled-back decision sends nothing.
    A mail server that fails is logged and does not undo the decision the mail reports.
    `connection` (from `mail_connection`) is shared with other mails; a failure closes it and
    opens it again for the next.
    """
    if not user.email or not user.is_active:
        return False
    context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(preferred_language(user)):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
        subject = " ".join(subject.split())  # one line, whatever the template held
        message = EmailMultiAlternatives(
            subject=f"[Biosafety] {subject}", body=body, to=[user.email], connection=connection
        )
    try:
        message.send()
    except Exception:
        if connection is not None:
            # Perhaps broken (or the server ends sessions after so many mails): open it again
            # for the next mail of the batch; if that fails too, each mail opens its own.
            _close(connection)
            _open(connection)
        if not fail_silently:
            raise
        logger.exception("Could not send %s to user %s", template, user.pk)
        return False
    return True
