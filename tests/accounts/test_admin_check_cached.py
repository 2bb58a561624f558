"""The header's admin check is kept per person (accounts.rules.can_access_admin): no query on
the next page, and a role granted or taken away is seen on the very next page."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from accounts.rules import can_access_admin
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def _fresh(user):
    # A new request loads the user again: nothing cached on the object itself.
    return type(user).objects.get(pk=user.pk)


def test_admin_check_is_asked_once_per_person(django_assert_num_queries):
    user = make_user()
    assert can_access_admin(_fresh(user)) is False
    again = _fresh(user)
    with django_assert_num_queries(0):
        assert can_access_admin(again) is False


def test_role_granted_then_taken_is_seen_on_the_next_page(site_shell):
    user = make_user()
    assert can_access_admin(_fresh(user)) is False
    moderators = Group.objects.get(name=Role.MODERATORS.value)
    user.groups.add(moderators)
    assert can_access_admin(_fresh(user)) is True
    user.groups.remove(moderators)
    assert can_access_admin(_fresh(user)) is False


def test_roles_and_admin_check_take_one_read_of_the_cache_once_warm(django_assert_num_queries):
    from unittest import mock

    from django.core.cache import cache, caches
    from django.core.cache.backends.base import BaseCache

    from accounts.rules import is_moderator

    user = make_user()
    is_moderator(_fresh(user)), can_access_admin(_fresh(user))
    again = _fresh(user)
    with (
        django_assert_num_queries(0),
        mock.patch.object(cache, "get", wraps=cache.get) as get,
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
    ):
        assert is_moderator(again) is False and can_access_admin(again) is False
    # The generation of the site's permissions comes in the same read as the person's entries.
    keys = get_many.call_args.args[0]
    assert get_many.call_count == 1 and len(keys) == 3 and "permissions-generation" in keys[0]
    # No read of its own: the only gets are those of a cache that answers get_many key by key
    # (the local-memory cache; Redis sends one MGET).
    by_gets = type(caches["default"]).get_many is BaseCache.get_many
    assert get.call_count == (len(keys) if by_gets else 0)


def test_a_groups_permissions_changed_between_requests_are_seen(site_shell):
    from django.contrib.auth.models import Permission

    user = make_user()
    helpers = Group.objects.create(name="Helpers")
    user.groups.add(helpers)
    assert can_access_admin(_fresh(user)) is False
    # A group's permissions changed: everyone's entries are asked again (new generation),
    # though this process last read the old one.
    helpers.permissions.add(Permission.objects.get(codename="access_admin"))
    assert can_access_admin(_fresh(user)) is True
