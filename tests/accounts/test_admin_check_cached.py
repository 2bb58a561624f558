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
