from datetime import UTC

from django import template
from django.utils import formats
from django.utils.html import format_html

from ..payloads import author_label
from ..text import body_to_editable

register = template.Library()


@register.simple_tag
def utc_time(value, fmt="DATETIME_FORMAT"):
    """A <time> in UTC; live.js adds the reader's local time beside it."""
    if not value:
        return ""
    value = value.astimezone(UTC)
    return format_html(
        '<time datetime="{}" data-local-time dir="auto">{} UTC</time>',
        value.isoformat(),
        formats.date_format(value, fmt),
    )


@register.filter
def editable_text(html):
    """A stored post as the author typed it, for the moderators' "edit before approving"."""
    return body_to_editable(html)


@register.simple_tag
def author_name(user, is_moderator=False):
    """The public label; moderators also see the display name (Profile.show_name_publicly)."""
    label = author_label(user)
    profile = getattr(user, "profile", None)
    # <bdi>: a name in Arabic script inside an English sentence, or the reverse, stays whole.
    if is_moderator and profile is not None and profile.display_name != label:
        return format_html(
            '<bdi>{}</bdi> <span class="muted">(<bdi>{}</bdi>)</span>', label, profile.display_name
        )
    return format_html("<bdi>{}</bdi>", label)


@register.simple_tag
def moderation_reasons():
    from core.moderation import ModerationReason

    return ModerationReason.choices
