"""Threads and posts: creating, editing, and announcing them to who may see them."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderation import ModerationStatus
from core.ratelimit import Rate, rate_limit_exceeded
from core.submissions import create_once
from search import index as search_index

from .. import notify, rules
from ..live import event_emit
from ..models import (
    DiscussionGroup,
    EventAudience,
    Post,
    PostRevision,
    Thread,
)
from ..text import body_to_html, guess_language, quote_excerpt
from .queue import _queue_changed

# Without a form token (services called directly), the same text within a minute is one post.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


# Foreign keys to rows the caller read (the thread, its group, the author, the post replied
# to): full_clean would read each again to check it exists; the database's constraint still
# refuses a row that went away.
_HELD = ("thread", "group", "author", "reply_to")


def post_rate() -> Rate:
    """Posts per window per participant: the FORUMS_POST_RATE setting (environment variable
    of that name, e.g. "5/60", the default), so a deployment tunes it without code."""
    return Rate.parse(settings.FORUMS_POST_RATE)


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
                group=group, type="thread.created", audience=EventAudience.PUBLIC, thread=thread
            )
        event_emit(group=group, type="post.created", audience=EventAudience.PUBLIC, post=post)
    else:  # pending: the moderators and the author only
        if new_thread:
            event_emit(
                group=group,
                type="thread.created",
                audience=EventAudience.MODERATORS,
                thread=thread,
                user=post.author,
            )
        event_emit(
            group=group,
            type="post.created",
            audience=EventAudience.MODERATORS,
            post=post,
            user=post.author,
        )
        _queue_changed(group)


def thread_create(
    *, group: DiscussionGroup, author, title: str, body: str, submission_token=None
) -> Thread:
    """Open a thread with its first post. In a pre-moderated group the thread becomes public
    when a moderator approves that post.

    Idempotent per `submission_token` (the form's one-use token, core.submissions): the same
    form sent again, even five times at once, returns the thread the first one opened.
    """
    _refuse_unless_may_post(author, group)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Please give the thread a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    html = body_to_html(body)
    if submission_token is not None:
        mine = Thread.objects.filter(author=author, submission_token=submission_token)
    else:
        mine = Thread.objects.filter(
            group=group,
            author=author,
            title=title,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )

    def create() -> Thread:
        now = timezone.now()
        status = _initial_status(group, author)
        thread = Thread(
            group=group,
            author=author,
            title=title,
            created_at=now,
            last_activity_at=now,
            published_at=now if status == ModerationStatus.PUBLISHED else None,
            submission_token=submission_token,
        )
        # The token's uniqueness is the database's to check: a twin sent at the same moment
        # makes save() fail, and create_once returns the twin's thread.
        thread.full_clean(exclude=_HELD, validate_constraints=False)
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
        post.full_clean(exclude=_HELD, validate_constraints=False)
        post.save()
        search_index.refresh(post)
        _announce_new_post(post, new_thread=True)
        return thread

    # The same form sent twice returns the thread the first one opened, without counting
    # against the posting rate.
    thread, _created = create_once(
        find=mine.first, create=create, before_create=lambda: _check_rate(author, group)
    )
    return thread


def post_create(
    *,
    thread: Thread,
    author,
    body: str,
    reply_to: Post | None = None,
    quote: str = "",
    submission_token=None,
) -> Post:
    """Add a post to a thread (a reply to `reply_to`, optionally quoting part of it).

    Idempotent per `submission_token`, like thread_create."""
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
    if submission_token is not None:
        mine = Post.objects.filter(author=author, submission_token=submission_token)
    else:
        mine = Post.objects.filter(
            thread=thread,
            author=author,
            body=html,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )

    def create() -> Post:
        now = timezone.now()
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
            submission_token=submission_token,
        )
        post.full_clean(exclude=_HELD, validate_constraints=False)
        post.save()
        if post.is_published:
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
        search_index.refresh(post)
        # The live event leaves at commit ahead of the mail and the page cache's write
        # (core.events.on_commit_ahead): readers do not wait for either.
        _announce_new_post(post, new_thread=False)
        if post.is_published:
            notify.notify_reply(post)
        return post

    post, _created = create_once(
        find=mine.first, create=create, before_create=lambda: _check_rate(author, group)
    )
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
        search_index.refresh(post)
        _emit_post(post, "post.updated")
    return post


def _revise(post: Post, html: str, *, editor, note: str, by_moderator: bool) -> None:
    PostRevision.objects.create(
        post=post,
        body=post.body,
        edited_by=editor,
        note=note.strip(),
        by_moderator=by_moderator,
        # A text the public could read stays public in the history; one a moderator took out
        # before approving, or a draft still pending, never becomes public (docs/permissions).
        public=post.moderation_status == ModerationStatus.PUBLISHED
        and post.thread.published_at is not None,
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
        event_emit(group=post.group, type=type, audience=EventAudience.PUBLIC, post=post)
    else:
        event_emit(
            group=post.group,
            type=type,
            audience=EventAudience.MODERATORS,
            post=post,
            user=post.author,
        )


def _emit_quoting_replies(post: Post) -> None:
    """A decision on `post` changes what replies quoting it show (their quote is its words):
    open pages get each such reply again, with or without the quote (forums.payloads)."""
    replies = (
        Post.objects.filter(reply_to=post)
        .exclude(quote="")
        .select_related("thread", "group", "author__profile", "reply_to__author__profile")
    )
    for reply in replies:
        _emit_post(reply, "post.updated")
