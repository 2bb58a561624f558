"""What live events carry, built from the current state through the visibility policy.

The event log (ForumEvent) stores only which post or thread an event is about; the text a
socket receives is made here when the event is sent (for its audience) and again, for the
viewer, when a reconnecting socket catches up. So a post hidden since is a placeholder, a
quote of it is gone, and nobody but the moderators ever gets the text before a moderator's
edit. Readers are not told who someone is beyond what the profile shows publicly.
"""

from core.moderation import ModerationStatus

from . import rules
from .text import body_to_editable

POST_EVENTS = frozenset(
    {"post.created", "post.updated", "post.published", "post.hidden", "post.rejected"}
)
THREAD_EVENTS = frozenset({"thread.created", "thread.pinned", "thread.closed"})
SKIPPED = "skip"  # an event this viewer may not see now, in its place in the sequence


def author_label(user, labels: dict | None = None) -> str:
    """The public label of `user`; `labels` remembers them across one catch-up (a label
    costs ~1 ms: its category and country are translated)."""
    if labels is not None and user.pk in labels:
        return labels[user.pk]
    profile = getattr(user, "profile", None)
    label = profile.public_label() if profile is not None else ""
    if labels is not None:
        labels[user.pk] = label
    return label


def _thread_url(thread) -> str:
    # Remembered on the thread object: a catch-up names the same thread for many posts.
    url = thread.__dict__.get("_live_url")
    if url is None:
        url = thread.__dict__["_live_url"] = thread.get_absolute_url()
    return url


def thread_payload(thread, labels: dict | None = None) -> dict:
    return {
        "thread": {
            "id": thread.pk,
            "title": thread.title,
            "url": _thread_url(thread),
            "author": author_label(thread.author, labels),
            "pinned": thread.pinned,
            "closed": thread.closed,
            "created_at": thread.created_at.isoformat(),
            "published": thread.published_at is not None,
        }
    }


def post_payload(post, user, *, moderator: bool, labels: dict | None = None) -> dict | None:
    """A post as `user` may see it now (rules.post_access): with its text, as a placeholder
    (a hidden post: no text, no author), or None."""
    access = rules.post_access(user, post, moderator=moderator)
    if access == rules.NONE:
        return None
    data = {
        "id": post.pk,
        "thread": post.thread_id,
        "thread_title": post.thread.title,
        "thread_url": _thread_url(post.thread),
        "status": post.moderation_status,
        "opening": post.is_opening,
        "created_at": post.created_at.isoformat(),
    }
    if access == rules.PLACEHOLDER:
        if post.moderation_status == ModerationStatus.HIDDEN:
            # The placeholder says why, as the page does (the reason is public; the text is not).
            data.update(reason_code=post.moderation_reason_code, reason=post.moderation_reason)
        return {"post": data}
    reply_to = post.reply_to
    data.update(
        author=author_label(post.author, labels),
        body=post.body,
        language=post.language,
        quote=post.quote if rules.quote_visible(user, post, moderator=moderator) else "",
        reply_to={"id": reply_to.pk, "author": author_label(reply_to.author, labels)}
        if reply_to is not None
        and rules.post_access(user, reply_to, moderator=moderator, thread=post.thread)
        else None,
    )
    if post.moderation_status == ModerationStatus.PENDING:
        # For the moderators' "edit before approving": the words as the author typed them.
        data["editable"] = body_to_editable(post.body)
    return {"post": data}


def event_message(event, user, *, moderator: bool, post=None, thread=None, group=None, labels=None):
    """The message `user` receives for `event`, from the current state of what it is about;
    None if they may not see it now. `post`, `thread` and `group` are the objects the event
    names (None if they no longer exist)."""
    if event.type in POST_EVENTS:
        body = (
            post_payload(post, user, moderator=moderator, labels=labels)
            if post is not None
            else None
        )
    elif event.type in THREAD_EVENTS:
        visible = thread is not None and rules.thread_visible(user, thread, moderator=moderator)
        body = thread_payload(thread, labels) if visible else None
    elif event.type == "summary.posted":
        body = {"summary": group.summary if group is not None else ""}
    else:  # round.opened/closed, queue.changed: the stored facts (dates, counts)
        body = dict(event.data)
    if body is None:
        return None
    return {**body, **event.header()}


def skipped_message(event) -> dict:
    """In place of a public event the viewer may not see now: its number, so that a client
    following the public sequence (`prev`) sees no gap and does not ask again."""
    return {"type": SKIPPED, **{k: v for k, v in event.header().items() if k != "type"}}
