"""Named predicates about people, used by every feature's permission rules."""

from allauth.account.models import EmailAddress

from .roles import Role


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    # Cached on this user object (one per request), so templates and views may ask freely.
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._has_verified_email = cached
    return cached


def can_participate(user) -> bool:
    """May post in forums and comment on consultations: an active, verified account."""
    return bool(user.is_authenticated and user.is_active and has_verified_email(user))


def has_role(user, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return Role(role).value in names


def can_access_admin(user) -> bool:
    """May open the Wagtail admin: every role, and superusers."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def is_moderator(user) -> bool:
    return has_role(user, Role.MODERATORS)


def is_facilitator(user) -> bool:
    return has_role(user, Role.FACILITATORS)


def is_consultation_officer(user) -> bool:
    return has_role(user, Role.CONSULTATION_OFFICERS)


def is_editor(user) -> bool:
    return has_role(user, Role.EDITORS)


def is_reviewer(user) -> bool:
    return has_role(user, Role.REVIEWERS)
