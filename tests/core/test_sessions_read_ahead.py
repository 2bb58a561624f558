"""core.sessions: a signed-in page reads the session's cache entry with the page's route, in one
round trip (core.page_routes; counted on Redis in tests/core/test_read_together.py), and what it
reads is what cached_db would have read: a sign-out elsewhere shows at once, a session the cache
lost still comes from the database."""

from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SESSION_ENGINE = "core.sessions"


@pytest.fixture
def lesson(demo):
    from core.demo_pages import demo_page_urls

    return demo_page_urls()["lesson"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reads(client, url):
    with (
        mock.patch.object(cache, "get", wraps=cache.get) as get,
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
    ):
        response = client.get(url)
    assert response.status_code == 200
    singles = [call.args[0] for call in get.call_args_list]
    many = [call.args[0] for call in get_many.call_args_list]
    return response, singles, many


def test_a_sign_out_elsewhere_shows_on_the_next_page(lesson):
    user = make_user()
    client = signed_in(user)
    client.get(lesson)
    other_tab = Client()
    other_tab.cookies = client.cookies
    other_tab.logout()  # the session is deleted from the cache and the database
    response, _singles, _many = reads(client, lesson)
    assert not response.wsgi_request.user.is_authenticated


def test_a_session_the_cache_lost_comes_from_the_database(lesson):
    user = make_user()
    client = signed_in(user)
    client.get(lesson)
    store = client.session
    cache.delete(store.cache_key_prefix + store.session_key)
    response, _singles, _many = reads(client, lesson)
    assert response.wsgi_request.user == user
    assert client.session[SESSION_KEY] == str(user.pk)
