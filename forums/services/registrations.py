"""Registering for a forum, and moderators' decisions on registrations."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderation import moderation_record

from .. import notify, rules
from ..models import (
    Forum,
    Registration,
    RegistrationStatus,
)
from .queue import _queue_changed


def registration_submit(*, forum: Forum, user, motivation: str = "") -> Registration:
    """Register `user` with their profile's country, organisation and category as they are now.
    Open forums register at once; the others wait for a moderator's approval."""
    if not rules.can_participate(user):
        raise PermissionDenied(_("Verify your e-mail address before registering."))
    profile = getattr(user, "profile", None)
    if profile is None or not (profile.country and profile.stakeholder_category):
        # The forum reports who took part by country and category (as the 2012 forum did).
        raise ValidationError(
            _("Add your country and stakeholder category to your profile, then register."),
            code="profile_incomplete",
        )
    registration = Registration(
        forum=forum,
        user=user,
        motivation=(motivation or "").strip()[:1000],
        country=getattr(profile, "country", "") or "",
        organisation=getattr(profile, "organisation", ""),
        stakeholder_category=getattr(profile, "stakeholder_category", ""),
        status=RegistrationStatus.PENDING if forum.needs_approval else RegistrationStatus.APPROVED,
    )
    existing = Registration.objects.filter(forum=forum, user=user).first()
    if existing is not None:  # a double submit: the first registration stands
        return existing
    if registration.is_approved:
        registration.decided_at = registration.created_at
    registration.full_clean(exclude=["forum", "user"])
    try:
        with transaction.atomic():
            registration.save()
            if registration.status == RegistrationStatus.PENDING:
                for group in forum.groups.all():  # the moderators' queues show the count
                    _queue_changed(group)
    except IntegrityError:  # two submits at once: the first registration stands
        return Registration.objects.get(forum=forum, user=user)
    user._forum_registrations = None  # the rules' per-request cache
    return registration


def registration_decide(
    *, registration: Registration, actor, approve: bool, reason: str = ""
) -> Registration:
    """A moderator approves or declines a pending registration; the registrant is told."""
    if not rules.can_manage_registrations(actor, registration.forum):
        raise PermissionDenied
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != RegistrationStatus.PENDING:
            raise ValidationError(
                _("This registration was already decided (%(status)s).")
                % {"status": locked.get_status_display()},
                code="decided",
            )
        locked.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = (reason or "").strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        moderation_record(
            item=locked,
            action="registration_approve" if approve else "registration_decline",
            actor=actor,
            reason=locked.decision_reason,
        )
        notify.notify_registration(locked)
        for group in locked.forum.groups.all():
            _queue_changed(group)
    return locked
