"""What live events carry: the same dicts are stored in the event log and pushed to sockets.
Readers are not told who someone is beyond what the profile shows publicly."""

from core.moderation import ModerationStatus

from .text import body_to_editable


def author_label(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.public_label() if profile is not None else ""


def thread_payload(thread) -> dict:
    return {
        "thread": {
            "id": thread.pk,
            "title": thread.title,
            "url": thread.get_absolute_url(),
            "author": author_label(thread.author),
            "pinned": thread.pinned,
            "closed": thread.closed,
            "created_at": thread.created_at.isoformat(),
            "published": thread.published_at is not None,
        }
    }


def post_payload(post) -> dict:
    """A post as a live client renders it; a hidden post carries no text, only its place."""
    data = {
        "id": post.pk,
        "thread": post.thread_id,
        "thread_title": post.thread.title,
        "thread_url": post.thread.get_absolute_url(),
        "status": post.moderation_status,
        "opening": post.is_opening,
        "created_at": post.created_at.isoformat(),
    }
    if post.moderation_status == ModerationStatus.HIDDEN:
        # The placeholder says why, as the page does (the reason is public; the text is not).
        data.update(reason_code=post.moderation_reason_code, reason=post.moderation_reason)
        return {"post": data}
    reply_to = post.reply_to
    data.update(
        author=author_label(post.author),
        body=post.body,
        language=post.language,
        quote=post.quote,
        edited=bool(post.edited_at),
        reply_to={"id": reply_to.pk, "author": author_label(reply_to.author)}
        if reply_to is not None
        else None,
    )
    if post.moderation_status == ModerationStatus.PENDING:
        # For the moderators' "edit before approving": the words as the author typed them.
        data["editable"] = body_to_editable(post.body)
    return {"post": data}
