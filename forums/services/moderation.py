"""Moderators' decisions on posts, threads and flags (all in core's audit log)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderation import ModerationStatus, moderation_decide, moderation_record
from search import index as search_index

from .. import notify, rules
from ..live import event_emit
from ..models import (
    EventAudience,
    Flag,
    FlagStatus,
    Post,
    Thread,
)
from ..models.posts import FlagReason
from ..text import body_to_html
from .posts import _emit_post, _emit_quoting_replies, _revise
from .queue import _queue_changed


def _require_moderator(actor, group) -> None:
    if not rules.can_moderate(actor, group):
        raise PermissionDenied(_("Only this group's moderators may do that."))


def post_approve(*, post: Post, actor, body: str | None = None, note: str = "") -> Post:
    """Publish a pending post, optionally edited first (the note says why, in the audit log
    and to the author). Its thread becomes public with its opening post."""
    _require_moderator(actor, post.group)
    html = body_to_html(body) if body is not None else post.body
    edited = html != post.body
    with transaction.atomic():
        if edited:
            _revise(post, html, editor=actor, note=note, by_moderator=True)
            moderation_record(item=post, action="edit", actor=actor, note=note)
        moderation_decide(item=post, to_status=ModerationStatus.PUBLISHED, actor=actor, note=note)
        now = timezone.now()
        thread = post.thread
        new_thread = post.is_opening and thread.published_at is None
        if new_thread:
            thread.published_at = now
        thread.last_activity_at = now
        thread.save(update_fields=["published_at", "last_activity_at"])
        search_index.refresh(post)
        if new_thread:
            event_emit(
                group=post.group,
                type="thread.created",
                audience=EventAudience.PUBLIC,
                thread=thread,
            )
        _emit_post(post, "post.published")
        _emit_quoting_replies(post)
        _resolve_open_flags(post, actor)
        _queue_changed(post.group)
        notify.notify_decision(post, "approved_edited" if edited else "approved", note=note)
        notify.notify_reply(post)
    return post


def post_reject(*, post: Post, actor, reason_code: str = "", reason: str = "") -> Post:
    """Refuse a pending post; the author receives the reason by e-mail."""
    _require_moderator(actor, post.group)
    with transaction.atomic():
        moderation_decide(
            item=post,
            to_status=ModerationStatus.REJECTED,
            actor=actor,
            reason_code=reason_code,
            reason=reason,
        )
        search_index.refresh(post)
        _emit_post(post, "post.rejected")
        _queue_changed(post.group)
        notify.notify_decision(post, "rejected")
    return post


def post_hide(*, post: Post, actor, reason_code: str = "", reason: str = "") -> Post:
    """Take a published post down; readers see a placeholder with the reason, and replies
    that quoted it lose the quote (on every page, report and socket: they ask the policy)."""
    _require_moderator(actor, post.group)
    with transaction.atomic():
        moderation_decide(
            item=post,
            to_status=ModerationStatus.HIDDEN,
            actor=actor,
            reason_code=reason_code,
            reason=reason,
        )
        search_index.refresh(post)
        _emit_post(post, "post.hidden")
        _emit_quoting_replies(post)
        _resolve_open_flags(post, actor)
        _queue_changed(post.group)
        notify.notify_decision(post, "hidden")
    return post


def post_restore(*, post: Post, actor, note: str = "") -> Post:
    """Publish a hidden or rejected post again."""
    _require_moderator(actor, post.group)
    with transaction.atomic():
        moderation_decide(item=post, to_status=ModerationStatus.PUBLISHED, actor=actor, note=note)
        thread = post.thread
        if post.is_opening and thread.published_at is None:
            thread.published_at = timezone.now()
            thread.save(update_fields=["published_at"])
        search_index.refresh(post)
        _emit_post(post, "post.published")
        _emit_quoting_replies(post)
        notify.notify_decision(post, "restored", note=note)
    return post


def thread_set_pinned(*, thread: Thread, actor, pinned: bool) -> Thread:
    _require_moderator(actor, thread.group)
    with transaction.atomic():
        thread.pinned = bool(pinned)
        thread.save(update_fields=["pinned"])
        moderation_record(item=thread, action="pin" if pinned else "unpin", actor=actor)
        _emit_thread(thread, "thread.pinned")
    return thread


def thread_set_closed(*, thread: Thread, actor, closed: bool, reason: str = "") -> Thread:
    _require_moderator(actor, thread.group)
    with transaction.atomic():
        thread.closed = bool(closed)
        thread.save(update_fields=["closed"])
        moderation_record(
            item=thread, action="close" if closed else "reopen", actor=actor, reason=reason
        )
        _emit_thread(thread, "thread.closed")
    return thread


def _emit_thread(thread: Thread, type: str) -> None:
    """To everyone for a public thread; to its author and the moderators before approval."""
    if thread.published_at is not None:
        event_emit(group=thread.group, type=type, audience=EventAudience.PUBLIC, thread=thread)
    else:
        event_emit(
            group=thread.group,
            type=type,
            audience=EventAudience.MODERATORS,
            thread=thread,
            user=thread.author,
        )


def flag_create(*, post: Post, reporter, reason_code: str, reason: str = "") -> Flag:
    """A reader reports a post; the flag reaches the group's moderation queue at once."""
    if not rules.can_flag(reporter, post):
        raise PermissionDenied(_("You cannot flag this post."))
    if reason_code not in FlagReason.values:
        raise ValidationError({"reason_code": _("Choose a reason.")})
    if Flag.objects.filter(post=post, reporter=reporter, status=FlagStatus.OPEN).exists():
        raise ValidationError(
            _("You have already flagged this post; the moderators will look at it."),
            code="duplicate",
        )
    flag = Flag(post=post, reporter=reporter, reason_code=reason_code, reason=reason.strip())
    flag.full_clean()
    try:
        with transaction.atomic():
            flag.save()
            _queue_changed(post.group)
    except IntegrityError as exc:
        raise ValidationError(
            _("You have already flagged this post; the moderators will look at it."),
            code="duplicate",
        ) from exc
    return flag


def flag_dismiss(*, flag: Flag, actor) -> Flag:
    _require_moderator(actor, flag.post.group)
    with transaction.atomic():
        Flag.objects.filter(post=flag.post, status=FlagStatus.OPEN).update(
            status=FlagStatus.DISMISSED, resolved_by=actor, resolved_at=timezone.now()
        )
        moderation_record(item=flag.post, action="flags_dismiss", actor=actor)
        _queue_changed(flag.post.group)
    flag.refresh_from_db()
    return flag


def _resolve_open_flags(post: Post, actor) -> None:
    Flag.objects.filter(post=post, status=FlagStatus.OPEN).update(
        status=FlagStatus.RESOLVED, resolved_by=actor, resolved_at=timezone.now()
    )
