"""Writes on accounts and profiles."""

from django.contrib.auth.models import Group
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

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


def account_deletion_refusal(user: User) -> str:
    """Why `user` cannot be deleted ("" if they can): the record keeps what they contributed
    (forum threads and posts, cohorts run: PROTECT), so such an account is deactivated
    instead. Asked before the admin deletes, which would otherwise fail half-way (a 500)."""
    collector = Collector(using=router.db_for_write(User))
    try:
        collector.collect([user])
    except (ProtectedError, RestrictedError) as error:
        kept = getattr(error, "protected_objects", None) or error.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in kept})
        return _(
            "This account cannot be deleted: the record keeps what it contributed (%(kinds)s). "
            "Deactivate it instead: edit the account and untick “Active”."
        ) % {"kinds": get_text_list(kinds, _("and"))}
    return ""
