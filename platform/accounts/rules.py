"""Named predicates about people, used by every feature's permission rules."""

import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef

from core.page_cache import cached_under_tags, invalidate

from .roles import Role


@dataclass(frozen=True)
class Participant:
    """What taking a person's post or comment reads of them: whether an address of theirs is
    verified, and the profile fields copied onto what they write."""

    verified: bool
    display_name: str = ""
    organisation: str = ""
    country: str = ""
    stakeholder_category: str = ""


def participant(user) -> Participant:
    """The signed-in person's `Participant`, kept on the user object (one per request) and per
    person in the shared cache: every signed-in consultation and forum page asks, and a
    comment copies the profile. Any save or delete of their addresses (allauth's
    verification, a removal) or of their profile changes a tag (`email_addresses_changed`,
    `profile_changed`); the key holds their id."""
    cached = getattr(user, "_participant", None)
    if cached is None:
        key, tags = _participant_entry(user.pk)
        cached = cached_under_tags(key, tags, lambda: _participant(user), PARTICIPANT_SECONDS)
        user._participant = cached
    return cached


def participant_cache_entry(user_id) -> tuple[str, list[str]] | None:
    """The cache key of the `Participant` of account `user_id` and the tags it is kept under
    (for core.page_cache.want_entries); None for no account."""
    return _participant_entry(user_id) if user_id else None


def _participant_entry(user_id) -> tuple[str, list[str]]:
    return f"accounts:participant:{user_id}", [_emails_tag(user_id), _profile_tag(user_id)]


def _participant(user) -> Participant:
    # One query: the profile joined to the account, the verified address as a subquery.
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            "profile__display_name",
            "profile__organisation",
            "profile__country",
            "profile__stakeholder_category",
        )
        .first()
    )
    if row is None:
        return Participant(verified=False)
    return Participant(row[0], *(value or "" for value in row[1:]))


def has_verified_email(user) -> bool:
    return bool(user.is_authenticated and participant(user).verified)


PARTICIPANT_SECONDS = 600


def _emails_tag(user_id) -> str:
    return f"email-addresses:{user_id}"


def _profile_tag(user_id) -> str:
    return f"profile:{user_id}"


def profile_changed(sender, instance, **kwargs):
    """A person's profile was saved or deleted: what their next comment copies is read again."""
    invalidate(_profile_tag(instance.user_id))


def email_addresses_changed(sender, instance, **kwargs):
    """A person's e-mail address was added, verified, changed or removed: ask again."""
    invalidate(_emails_tag(instance.user_id))


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
        names = _role_names(user)
        user._role_names = names
    return Role(role).value in names


def _role_names(user) -> set:
    """The person's groups' names, kept in the cache beside the admin check and dropped with
    it when their groups change (`permissions_changed`): every page asks for them."""
    entries = _access_entries(user)  # first: it may learn the generation in the same read
    key = _roles_key(_generation(user), user.pk)
    names = entries.pop(key, None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        cache.set(key, names, ADMIN_ACCESS_SECONDS)
    return names


ADMIN_ACCESS_SECONDS = 60
_PERMISSIONS_GENERATION = "accounts:permissions-generation"


def can_access_admin(user) -> bool:
    """May open the Wagtail admin: every role, and superusers.

    Every page's header asks (the "Admin" link): the answer is kept per person in the cache,
    under the generation of the site's roles and permissions, which any change of a person's
    groups or permissions or of a group's permissions moves on (`permissions_changed`).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    entries = _access_entries(user)
    key = _admin_access_key(_generation(user), user.pk)
    allowed = entries.pop(key, None)
    if allowed is None:
        allowed = user.has_perm("wagtailadmin.access_admin")
        cache.set(key, allowed, ADMIN_ACCESS_SECONDS)
    return bool(allowed)


def access_keys(user_pk) -> list[str]:
    """The keys `has_role` and `can_access_admin` read for the person: the generation and
    their entries under the generation this process last saw (core.read_together)."""
    if not (user_pk and _last_generation):
        return [_PERMISSIONS_GENERATION]
    return [
        _PERMISSIONS_GENERATION,
        _roles_key(_last_generation, user_pk),
        _admin_access_key(_last_generation, user_pk),
    ]


def _access_entries(user) -> dict:
    """The person's cached roles and admin check, read together (one round trip: every page
    asks for both) at the first question of the request. Each is handed out once: a second
    question reads the cache again, as before."""
    entries = getattr(user, "_access_entries", None)
    if entries is None:
        entries = _read_with_last_generation(user)
    if entries is None:
        generation = _generation(user)
        entries = cache.get_many(
            [_roles_key(generation, user.pk), _admin_access_key(generation, user.pk)]
        )
    user._access_entries = entries
    return entries


# The generation this process last read: the generation and the person's entries under it are
# read in the same round trip, and the entries kept only if the generation is still that one.
_last_generation = ""


def _read_with_last_generation(user) -> dict | None:
    global _last_generation
    guess = _last_generation
    if not guess or getattr(user, "_permissions_generation", None) is not None:
        return None
    keys = [_roles_key(guess, user.pk), _admin_access_key(guess, user.pk)]
    entries = cache.get_many([_PERMISSIONS_GENERATION, *keys])
    if entries.pop(_PERMISSIONS_GENERATION, None) != guess:
        _last_generation = ""  # moved on: read it as usual
        return None
    user._permissions_generation = guess
    return entries


def _generation(user) -> str:
    # Asked once per request (kept on the request's user object) for the roles and the admin
    # check alike.
    generation = getattr(user, "_permissions_generation", None)
    if generation is None:
        generation = _current_generation()
        user._permissions_generation = generation
    return generation


def _current_generation() -> str:
    global _last_generation
    generation = cache.get(_PERMISSIONS_GENERATION)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(_PERMISSIONS_GENERATION, generation, timeout=None)
        generation = cache.get(_PERMISSIONS_GENERATION, generation)
    _last_generation = generation
    return generation


def _admin_access_key(generation: str, user_id) -> str:
    return f"accounts:admin-access:{generation}:{user_id}"


def _roles_key(generation: str, user_id) -> str:
    return f"accounts:roles:{generation}:{user_id}"


def permissions_changed(sender=None, instance=None, action="", reverse=False, pk_set=None, **kw):
    """Someone's groups or permissions changed: ask again for them; a group's permissions
    changed or a group was deleted: ask again for everyone."""
    from django.contrib.auth import get_user_model

    if action and not action.startswith("post_"):
        return
    user_model = get_user_model()
    people = None
    if sender in (user_model.groups.through, user_model.user_permissions.through):
        people = [instance.pk] if not reverse else list(pk_set or ())
        if reverse and action == "post_clear":
            people = None  # a group emptied: whom it held is gone, ask everyone
    generation = cache.get(_PERMISSIONS_GENERATION)
    if people is None or generation is None:
        cache.delete(_PERMISSIONS_GENERATION)
        return
    cache.delete_many(
        [_admin_access_key(generation, pk) for pk in people]
        + [_roles_key(generation, pk) for pk in people]
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
