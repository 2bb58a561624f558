"""Writes on accounts and profiles."""

from django.contrib.auth.models import Group
from django.db import transaction

from core.sanitize import clean_text

from .models import Profile, User
from .roles import Role

PROFILE_FIELDS = (
    "display_name",
    "country",
    "organisation",
    "stakeholder_category",
    "preferred_language",
    "show_name_publicly",
)
# Shown to others beside what the person writes: stored only as `clean_text` leaves them.
PROFILE_TEXT_FIELDS = ("display_name", "organisation")


def profile_for(user: User) -> Profile:
    """The user's profile, created empty on first use (sign-up creates it too)."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, **fields) -> Profile:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    profile = profile_for(user)
    for name, value in fields.items():
        if name in PROFILE_TEXT_FIELDS:
            value = clean_text(value)
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


def roles_ensure() -> dict[str, Group]:
    """Create the role groups if missing (idempotent)."""
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}


def user_set_roles(*, user: User, roles) -> None:
    groups = roles_ensure()
    user.groups.set([groups[Role(role)] for role in roles])
