"""core.account_cache: the signed-in account's row from the shared cache, with Django's answer
every time: a password changed or an account deactivated elsewhere signs the session out on
its next page, even when the change races a request that read the old row; the cache never
holds a password hash; a cached account saved by a view keeps its password.

The sign-out cases run on both caches (on local memory every request reads the row); the
cache's own behaviour on Redis (CI's second run)."""

from unittest import mock

import pytest
from django.contrib.auth import HASH_SESSION_KEY, get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import account_cache
from tests.accounts.factories import deactivate_in_bulk, make_user
from tests.core.test_read_together import needs_redis

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 7"


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SESSION_ENGINE = "core.sessions"


def profile_url():
    return reverse("accounts:profile")


def signed_in(user) -> Client:
    """A client signed in to `user` a while ago: the sign-in's own marker (it saves the login
    time) gone, as it is `BLOCKED_SECONDS` later."""
    client = Client()
    client.force_login(user)
    cache.delete(account_cache.account_key(user.pk))
    return client


def account_rows_read(client) -> tuple[int, object]:
    """How many times the page read the accounts table, and the page's response."""
    table = get_user_model()._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = client.get(profile_url())
    reads = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]
    return len(reads), response


def assert_signed_out(client):
    """The next page sends the reader to sign in, as anonymous."""
    response = client.get(profile_url())
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated
    return response


@needs_redis
def test_the_second_page_reads_the_account_from_the_cache():
    user = make_user()
    client = signed_in(user)
    first, response = account_rows_read(client)
    assert response.status_code == 200 and first >= 1
    second, response = account_rows_read(client)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk
    assert second == 0


@needs_redis
def test_the_cache_holds_no_password_hash():
    user = make_user(password=PASSWORD)
    client = signed_in(user)
    client.get(profile_url())
    entry = cache.get(account_cache.account_key(user.pk))
    assert entry is not None
    assert "password" not in entry["fields"]
    assert user.password not in repr(entry)


def test_a_password_changed_elsewhere_signs_this_session_out():
    user = make_user(password=PASSWORD)
    client = signed_in(user)
    account_rows_read(client)
    account_rows_read(client)  # served from the cache
    elsewhere = get_user_model().objects.get(pk=user.pk)
    elsewhere.set_password("another long passphrase 8")
    elsewhere.save()
    assert_signed_out(client)


def test_a_deactivated_account_is_signed_out_on_its_next_page():
    user = make_user()
    client = signed_in(user)
    account_rows_read(client)
    user.is_active = False
    user.save()
    assert_signed_out(client)


def test_a_change_racing_a_request_that_read_the_old_row_does_not_bring_it_back():
    user = make_user(password=PASSWORD)
    client = signed_in(user)
    real_get_user = account_cache.auth.get_user

    def read_then_changed_elsewhere(request):
        old = real_get_user(request)  # this request has the old row...
        elsewhere = get_user_model().objects.get(pk=user.pk)
        elsewhere.set_password("another long passphrase 8")
        elsewhere.save()  # ...when another worker changes the password
        return old

    with mock.patch.object(account_cache.auth, "get_user", read_then_changed_elsewhere):
        assert client.get(profile_url()).status_code == 200
    assert_signed_out(client)


def test_a_tampered_session_hash_is_refused_and_the_session_flushed():
    user = make_user()
    client = signed_in(user)
    account_rows_read(client)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    response = assert_signed_out(client)
    assert response.wsgi_request.session.get(HASH_SESSION_KEY) is None


@needs_redis
def test_a_cached_account_saved_by_a_view_keeps_its_password_and_other_fields():
    user = make_user(password=PASSWORD)
    user.first_name = "Amina"
    user.save()
    client = signed_in(user)
    account_rows_read(client)
    _reads, response = account_rows_read(client)
    cached = response.wsgi_request.user
    cached.last_name = "Diallo"
    cached.save()
    stored = get_user_model().objects.get(pk=user.pk)
    assert stored.check_password(PASSWORD)
    assert (stored.first_name, stored.last_name) == ("Amina", "Diallo")


def test_a_new_name_shows_on_the_next_page():
    user = make_user()
    client = signed_in(user)
    account_rows_read(client)
    user.first_name = "Renamed"
    user.save()
    response = client.get(profile_url())
    assert response.wsgi_request.user.first_name == "Renamed"


def test_accounts_deactivated_in_bulk_in_the_admin_are_signed_out_at_once():
    # Wagtail's bulk action writes is_active with one UPDATE (no model signal): the hook in
    # accounts/wagtail_hooks.py drops the cached accounts.
    user = make_user()
    client = signed_in(user)
    account_rows_read(client)
    _reads, response = account_rows_read(client)
    assert response.wsgi_request.user.is_authenticated  # served from the cache
    assert deactivate_in_bulk(user).status_code == 302
    assert not get_user_model().objects.get(pk=user.pk).is_active
    assert_signed_out(client)


@needs_redis
def test_a_sign_in_blocks_the_entry_for_a_few_seconds():
    user = make_user()
    client = Client()
    client.force_login(user)  # saves the login time: a change like any other
    first, _response = account_rows_read(client)
    assert first >= 1 and cache.get(account_cache.account_key(user.pk)) == "changed"


@needs_redis
def test_the_change_is_marked_again_once_committed(django_capture_on_commit_callbacks):
    user = make_user(password=PASSWORD)
    client = signed_in(user)
    account_rows_read(client)
    key = account_cache.account_key(user.pk)
    old_entry = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True):
        user.set_password("another long passphrase 8")
        user.save()
        # Another worker's request wrote the old row while the transaction was still open.
        cache.set(key, old_entry)
    assert cache.get(key) == "changed"
    assert client.get(profile_url()).status_code == 302


def test_without_a_shared_cache_every_request_reads_the_account():
    # Local memory is one process's: a change made in another would never drop its entry.
    user = make_user()
    client = signed_in(user)
    account_rows_read(client)
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        account_rows_read(client)
        reads, response = account_rows_read(client)  # the row again, not a kept entry
    assert response.status_code == 200 and reads >= 1
