"""Round summaries and the round lifecycle as live clients see it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderation import moderation_record

from .. import rules
from ..live import event_emit
from ..models import (
    DiscussionGroup,
    EventAudience,
    RoundState,
)
from ..text import body_to_html
from .moderation import _require_moderator


def summary_post(*, group: DiscussionGroup, actor, summary: str) -> DiscussionGroup:
    """The round's wrap-up, shown at the top of the group."""
    _require_moderator(actor, group)
    html = body_to_html(summary)
    with transaction.atomic():
        group.summary = html
        group.summary_by = actor
        group.summary_at = timezone.now()
        group.save(update_fields=["summary", "summary_by", "summary_at"])
        moderation_record(item=group, action="summary", actor=actor)
        event_emit(group=group, type="summary.posted", audience=EventAudience.PUBLIC)
    return group


def round_close_now(*, group: DiscussionGroup, actor) -> DiscussionGroup:
    """End an open round early; posting stops at once, live clients are told."""
    if not rules.can_close_round(actor, group):
        raise PermissionDenied(_("Only an open round can be closed, by its moderators."))
    with transaction.atomic():
        group.closes_at = timezone.now()
        group.save(update_fields=["closes_at"])
        moderation_record(item=group, action="round_close", actor=actor)
        _announce_state(group, RoundState.CLOSED)
    return group


def _announce_state(group: DiscussionGroup, state: str) -> None:
    group.announced_state = state
    DiscussionGroup.objects.filter(pk=group.pk).update(announced_state=state)
    event_emit(
        group=group,
        type="round.opened" if state == RoundState.OPEN else "round.closed",
        audience=EventAudience.PUBLIC,
        data={
            "state": state,
            "opens_at": group.opens_at.isoformat(),
            "closes_at": group.closes_at.isoformat(),
        },
    )


def rounds_announce(*, now=None) -> list[DiscussionGroup]:
    """Tell live clients of rounds that opened or closed since the last run (`manage.py
    forums_rounds`, every minute from cron). Pages and services read the state from the
    clock, so this only affects live notices, never what is allowed."""
    now = now or timezone.now()
    changed = []
    candidates = DiscussionGroup.objects.filter(opens_at__lte=now).exclude(
        announced_state=RoundState.CLOSED
    )
    for group in candidates:
        state = group.state_at(now)
        if state != group.announced_state and state != RoundState.SCHEDULED:
            with transaction.atomic():
                _announce_state(group, state)
            changed.append(group)
    return changed
