"""E-mail to one person, in their preferred language (forums and consultations share it)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def preferred_language(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile and profile.preferred_language) or settings.LANGUAGE_CODE


def notify_user(*, user, template: str, context: dict, fail_silently: bool = True) -> bool:
    """Send `<template>_subject.txt` / `<template>_body.txt` (and `_body.html` if it exists)
    to `user`, rendered in their preferred language. Returns whether it was sent.

    Call it from `transaction.on_commit` in services: a rolled-back decision sends nothing.
    A mail server that fails is logged and does not undo the decision the mail reports.
    """
    if not user.email or not user.is_active:
        return False
    context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(preferred_language(user)):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
        subject = " ".join(subject.split())  # one line, whatever the template held
        message = EmailMultiAlternatives(
            subject=f"[Biosafety] {subject}", body=body, to=[user.email]
        )
    try:
        message.send()
    except Exception:
        if not fail_silently:
            raise
        logger.exception("Could not send %s to user %s", template, user.pk)
        return False
    return True
