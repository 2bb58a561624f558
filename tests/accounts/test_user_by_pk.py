"""Every signed-in request reads its account by primary key; that read skips the ORM's query
compiler (accounts.models.UserManager.get, core.by_pk). It must give what the ORM gives."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db
User = get_user_model()


def _fields(user):
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_an_account_read_by_primary_key_is_the_orms_account():
    user = User.objects.create_user(email="reader@example.org", password="x-Secret-123")
    user.last_login = timezone.now()
    user.first_name = "Amina"
    user.save()
    fast = User.objects.get(pk=user.pk)
    orm = User.objects.filter(pk=user.pk).first()
    assert _fields(fast) == _fields(orm)
    assert fast.last_login.tzinfo is not None and fast.is_active is True
    assert not fast._state.adding and fast._state.db == "default"
    assert fast.check_password("x-Secret-123")


def test_a_missing_account_raises_does_not_exist():
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987654321)


def test_the_read_is_one_query_that_query_counts_still_see():
    user = User.objects.create_user(email="counted@example.org")
    with CaptureQueriesContext(connection) as queries:
        User.objects.get(pk=user.pk)
    assert len(queries) == 1 and str(user.pk) in queries[0]["sql"]


def test_other_lookups_still_take_the_orm():
    user = User.objects.create_user(email="other@example.org")
    assert User.objects.get(email="other@example.org") == user
    assert User.objects.get(pk=str(user.pk)) == user
    assert User.objects.filter(is_active=True).get(pk=user.pk) == user
