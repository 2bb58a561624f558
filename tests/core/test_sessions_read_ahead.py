"""core.sessions: a signed-in page reads the session's cache entry with the page's route, in one
round trip (core.page_routes), and what it reads is what cached_db would have read: a sign-out
elsewhere shows at once, a session the cache lost still comes from the database."""

from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
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


def test_the_session_comes_with_the_route_in_one_read(lesson):
    user = make_user(display_name="Amina Diallo")
    client = signed_in(user)
    client.get(lesson)  # the route cached
    response, singles, many = reads(client, lesson)
    session_key = client.session.session_key
    both = [keys for keys in many if any(session_key in k for k in keys)]
    assert len(both) == 1 and any("core:route" in k for k in both[0])
    # No read of the session of its own (the local-memory cache answers get_many key by key).
    by_gets = type(caches["default"]).get_many is BaseCache.get_many
    assert len([k for k in singles if session_key in k]) == (1 if by_gets else 0)
    assert response.wsgi_request.user == user


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
