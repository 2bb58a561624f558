"""Every write in the forums. Each checks the rules, validates, saves inside one transaction,
logs moderators' actions in core's audit log, and publishes live events after commit.

Views and the admin call these functions; nothing else writes forum data.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.env import env_str
from core.moderation import ModerationStatus, moderation_decide, moderation_record
from core.ratelimit import Rate, rate_limit_exceeded

from . import notify, rules
from .live import event_emit
from .models import (
    DiscussionGroup,
    EventAudience,
    Flag,
    FlagStatus,
    Forum,
    NotificationSettings,
    Post,
    PostRevision,
    Registration,
    RegistrationStatus,
    RoundState,
    Thread,
)
from .models.posts import FlagReason
from .payloads import post_payload, thread_payload
from .text import body_to_html, guess_language, quote_excerpt

DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


def post_rate() -> Rate:
    """Posts per window per participant: the FORUMS_POST_RATE setting, else the environment
    variable of that name (e.g. "5/60", the default), so a deployment tunes it without code."""
    return Rate.parse(
        getattr(settings, "FORUMS_POST_RATE", None) or env_str("FORUMS_POST_RATE", "5/60")
    )


# --- registrations -----------------------------------------------------------------------


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


# --- threads and posts -------------------------------------------------------------------


def _refuse_unless_may_post(user, group, thread=None) -> None:
    refusal = rules.posting_refusal(user, group, thread)
    if refusal is None:
        return
    if not user.is_authenticated or not rules.can_participate(user):
        raise PermissionDenied(refusal)
    raise ValidationError(refusal, code="refused")


def _check_rate(user, group) -> None:
    if rules.is_group_moderator(user, group):
        return
    rate = post_rate()
    if rate_limit_exceeded(scope="forums.post", key=user.pk, rate=rate):
        raise ValidationError(
            _(
                "You are posting faster than the forum allows (%(count)d posts per %(seconds)d "
                "seconds). Please wait a minute and send again: your text is still here."
            )
            % {"count": rate.count, "seconds": rate.seconds},
            code="rate_limited",
        )


def _initial_status(group, author) -> str:
    """Pre-moderated groups hold posts for approval, except their own moderators' posts."""
    if group.is_premoderated and not rules.is_group_moderator(author, group):
        return ModerationStatus.PENDING
    return ModerationStatus.PUBLISHED


def _announce_new_post(post: Post, *, new_thread: bool) -> None:
    group, thread = post.group, post.thread
    if post.is_published and thread.published_at is not None:
        if new_thread:
            event_emit(
                group=group,
                type="thread.created",
                audience=EventAudience.PUBLIC,
                payload=thread_payload(thread),
            )
        event_emit(
            group=group,
            type="post.created",
            audience=EventAudience.PUBLIC,
            payload=post_payload(post),
        )
    else:  # pending: the moderators and the author only
        if new_thread:
            event_emit(
                group=group,
                type="thread.created",
                audience=EventAudience.MODERATORS,
                payload=thread_payload(thread),
                user=post.author,
            )
        event_emit(
            group=group,
            type="post.created",
            audience=EventAudience.MODERATORS,
            payload=post_payload(post),
            user=post.author,
        )
        _queue_changed(group)


def thread_create(*, group: DiscussionGroup, author, title: str, body: str) -> Thread:
    """Open a thread with its first post. In a pre-moderated group the thread becomes public
    when a moderator approves that post."""
    _refuse_unless_may_post(author, group)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Please give the thread a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    html = body_to_html(body)
    duplicate = Thread.objects.filter(
        group=group,
        author=author,
        title=title,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if duplicate is not None:  # the same form sent twice
        return duplicate
    _check_rate(author, group)
    now = timezone.now()
    status = _initial_status(group, author)
    with transaction.atomic():
        thread = Thread(
            group=group,
            author=author,
            title=title,
            created_at=now,
            last_activity_at=now,
            published_at=now if status == ModerationStatus.PUBLISHED else None,
        )
        thread.full_clean()
        thread.save()
        post = Post(
            thread=thread,
            group=group,
            author=author,
            body=html,
            is_opening=True,
            language=guess_language(html),
            moderation_status=status,
            created_at=now,
        )
        post.full_clean()
        post.save()
        _announce_new_post(post, new_thread=True)
    return thread


def post_create(
    *, thread: Thread, author, body: str, reply_to: Post | None = None, quote: str = ""
) -> Post:
    """Add a post to a thread (a reply to `reply_to`, optionally quoting part of it)."""
    group = thread.group
    if not rules.can_see_thread(author, thread):
        raise PermissionDenied(_("This thread is not open to you."))
    _refuse_unless_may_post(author, group, thread)
    if reply_to is not None:
        if reply_to.thread_id != thread.pk or not rules.can_see_post_body(
            author, reply_to, moderator=rules.is_group_moderator(author, group)
        ):
            raise ValidationError(_("You can only reply to a post in this thread."))
        quote = quote_excerpt(quote, reply_to.body)
    else:
        quote = ""
    html = body_to_html(body)
    duplicate = Post.objects.filter(
        thread=thread,
        author=author,
        body=html,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if duplicate is not None:  # the same form sent twice: one post
        return duplicate
    _check_rate(author, group)
    now = timezone.now()
    with transaction.atomic():
        post = Post(
            thread=thread,
            group=group,
            author=author,
            body=html,
            reply_to=reply_to,
            quote=quote,
            language=guess_language(html),
            moderation_status=_initial_status(group, author),
            created_at=now,
        )
        post.full_clean()
        post.save()
        if post.is_published:
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
        # Live events first: on_commit callbacks run in order, and readers should not wait
        # for the mail server.
        _announce_new_post(post, new_thread=False)
        if post.is_published:
            notify.notify_reply(post)
    return post


def post_edit(*, post: Post, editor, body: str, note: str = "") -> Post:
    """The author corrects their post while the round is open; the earlier text is kept."""
    if not rules.can_edit_post(editor, post):
        refusal = rules.posting_refusal(editor, post.group, post.thread)
        raise ValidationError(refusal or _("You cannot edit this post."), code="refused")
    html = body_to_html(body)
    if html == post.body:
        return post
    with transaction.atomic():
        _revise(post, html, editor=editor, note=note, by_moderator=False)
        _emit_post(post, "post.updated")
    return post


def _revise(post: Post, html: str, *, editor, note: str, by_moderator: bool) -> None:
    PostRevision.objects.create(
        post=post, body=post.body, edited_by=editor, note=note.strip(), by_moderator=by_moderator
    )
    post.body = html
    post.language = guess_language(html)
    post.edited_at = timezone.now()
    post.edit_count += 1
    post.save(update_fields=["body", "language", "edited_at", "edit_count"])


def _emit_post(post: Post, type: str) -> None:
    """An event about a post, to whoever may see the post in its current state: everyone once
    it is published (or hidden, as a placeholder) in a public thread; otherwise the group's
    moderators and the author (a pending post, or a reply in a thread not yet approved)."""
    public = (
        post.moderation_status in (ModerationStatus.PUBLISHED, ModerationStatus.HIDDEN)
        and post.thread.published_at is not None
    )
    if public:
        event_emit(
            group=post.group,
            type=type,
            audience=EventAudience.PUBLIC,
            payload=post_payload(post),
        )
    else:
        event_emit(
            group=post.group,
            type=type,
            audience=EventAudience.MODERATORS,
            payload=post_payload(post),
            user=post.author,
        )


# --- moderation ---------------------------------------------------------------------------


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
        if new_thread:
            event_emit(
                group=post.group,
                type="thread.created",
                audience=EventAudience.PUBLIC,
                payload=thread_payload(thread),
            )
        _emit_post(post, "post.published")
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
        _emit_post(post, "post.rejected")
        _queue_changed(post.group)
        notify.notify_decision(post, "rejected")
    return post


def post_hide(*, post: Post, actor, reason_code: str = "", reason: str = "") -> Post:
    """Take a published post down; readers see a placeholder with the reason."""
    _require_moderator(actor, post.group)
    with transaction.atomic():
        moderation_decide(
            item=post,
            to_status=ModerationStatus.HIDDEN,
            actor=actor,
            reason_code=reason_code,
            reason=reason,
        )
        _emit_post(post, "post.hidden")
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
        _emit_post(post, "post.published")
        notify.notify_decision(post, "restored", note=note)
    return post


def thread_set_pinned(*, thread: Thread, actor, pinned: bool) -> Thread:
    _require_moderator(actor, thread.group)
    with transaction.atomic():
        thread.pinned = bool(pinned)
        thread.save(update_fields=["pinned"])
        moderation_record(item=thread, action="pin" if pinned else "unpin", actor=actor)
        event_emit(
            group=thread.group,
            type="thread.pinned",
            audience=EventAudience.PUBLIC,
            payload=thread_payload(thread),
        )
    return thread


def thread_set_closed(*, thread: Thread, actor, closed: bool, reason: str = "") -> Thread:
    _require_moderator(actor, thread.group)
    with transaction.atomic():
        thread.closed = bool(closed)
        thread.save(update_fields=["closed"])
        moderation_record(
            item=thread, action="close" if closed else "reopen", actor=actor, reason=reason
        )
        event_emit(
            group=thread.group,
            type="thread.closed",
            audience=EventAudience.PUBLIC,
            payload=thread_payload(thread),
        )
    return thread


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


def queue_counts(group: DiscussionGroup) -> dict:
    pending = Post.objects.filter(group=group).pending().count()
    flags = Flag.objects.filter(post__group=group, status=FlagStatus.OPEN).aggregate(
        n=Count("post", distinct=True)
    )["n"]
    registrations = Registration.objects.filter(forum_id=group.forum_id).pending().count()
    return {"pending": pending, "flags": flags, "registrations": registrations}


def _queue_changed(group: DiscussionGroup) -> None:
    event_emit(
        group=group,
        type="queue.changed",
        audience=EventAudience.MODERATORS,
        payload={"queue": queue_counts(group)},
    )


# --- rounds ------------------------------------------------------------------------------


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
        event_emit(
            group=group,
            type="summary.posted",
            audience=EventAudience.PUBLIC,
            payload={"summary": html},
        )
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
        payload={
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


# --- notifications -----------------------------------------------------------------------


def notification_settings_update(*, user, replies: bool, moderation: bool, digest: bool):
    found, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"replies": replies, "moderation": moderation, "digest": digest}
    )
    return found


def digest_send(*, now=None) -> int:
    """Mail each subscriber the posts published in their forums since their last digest
    (at most one a day). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    subscribers = (
        NotificationSettings.objects.filter(digest=True)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - timedelta(hours=23)))
        .select_related("user__profile")
    )
    for entry in subscribers:
        since = entry.last_digest_at or now - timedelta(days=1)
        forum_ids = entry.user.forum_registrations.approved().values("forum_id")
        posts = list(
            Post.objects.published()
            .filter(group__forum_id__in=forum_ids, created_at__gt=since, created_at__lte=now)
            .exclude(author=entry.user)
            .select_related("thread", "group", "author__profile")
            .order_by("group_id", "thread_id", "created_at")[:100]
        )
        with transaction.atomic():
            NotificationSettings.objects.filter(pk=entry.pk).update(last_digest_at=now)
            if posts:
                notify._later(entry.user, "forums/mail/digest", {"posts": posts, "since": since})
                sent += 1
    return sent
