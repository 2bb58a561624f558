"""Forum e-mail: replies, moderation decisions, registration decisions and the digest.

Each is sent after the transaction commits, in the recipient's preferred language
(core.notifications). People choose what they receive in their forum e-mail settings;
rejections and hides are always sent, because the author is owed the reason.
"""

from django.db import transaction

from core.notifications import notify_user
from core.sanitize import html_to_text

from .models import NotificationSettings


def settings_for(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def _later(user, template: str, context: dict) -> None:
    transaction.on_commit(lambda: notify_user(user=user, template=template, context=context))


def notify_reply(post) -> None:
    """Tell the author of the post answered (once the reply is published), if they may read
    the reply (the visibility policy: a thread awaiting approval is not theirs to read)."""
    from . import rules

    parent = post.reply_to
    if parent is None or parent.author_id == post.author_id or not post.is_published:
        return
    reader = parent.author
    moderator = rules.is_group_moderator(reader, post.group)
    if rules.post_access(reader, post, moderator=moderator) != rules.FULL:
        return
    if not settings_for(reader).replies:
        return
    _later(
        parent.author,
        "forums/mail/reply",
        {"post": post, "parent": parent, "text": html_to_text(post.body)},
    )


def notify_decision(post, decision: str, *, note: str = "") -> None:
    """decision: approved, approved_edited, rejected, hidden, restored. The reason is the
    post's moderation reason, rendered in the recipient's language."""
    always = decision in ("rejected", "hidden")
    if not always and not settings_for(post.author).moderation:
        return
    _later(
        post.author,
        "forums/mail/decision",
        {
            "post": post,
            "decision": decision,
            "note": note,
            "text": html_to_text(post.body),
        },
    )


def notify_registration(registration) -> None:
    _later(
        registration.user,
        "forums/mail/registration",
        {"registration": registration, "forum": registration.forum},
    )
