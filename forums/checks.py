"""Start-up checks: a malformed forum limit stops `manage.py check` (and start-up) with a
message naming the variable, rather than failing on the first post."""

from django.core.checks import Error, register


@register()
def forum_limits(app_configs=None, **kwargs):
    from .services import post_rate
    from .text import post_max_length

    errors = []
    try:
        post_rate()
    except ValueError as exc:
        errors.append(
            Error(f"FORUMS_POST_RATE must look like 5/60 (posts/seconds): {exc}", id="forums.E001")
        )
    try:
        if post_max_length() < 1:
            raise ValueError("must be positive")
    except ValueError as exc:
        errors.append(Error(f"FORUMS_POST_MAX_LENGTH: {exc}", id="forums.E002"))
    return errors
