"""What others may read of a person's name: one place decides (issue 11, finding 14).

An account's e-mail address is for signing in and for mail; it is never shown to anyone
else as a name — not on a certificate, not beside a post or a comment, not in a PDF. A
person's name is what they gave: their profile's display name, or a name they typed for a
certificate. Without one, pages say so in the reader's language.
"""

from django.utils.translation import gettext_lazy as _

# What the public reads where a person gave no name (forum posts, consultation comments).
ANONYMOUS_LABEL = _("A participant")


def own_name(user) -> str:
    """The name `user` gave in their profile, or "" — never their e-mail address."""
    profile = getattr(user, "profile", None) if user is not None else None
    return (getattr(profile, "display_name", "") or "").strip()
