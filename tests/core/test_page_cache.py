"""Anonymous pages from the cache (core.page_cache): what a reader notices.

The second anonymous reader of a page gets it without a query; signed-in readers, visitors
with a session or a message, and pages with one-use form tokens are rendered each time; the
CSRF token in a cached page is each visitor's own; a page whose state changes at a deadline is
not served past it; a Redis outage means rendering, not errors.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from tests.consultations.factories import commenter, make_consultation
from tests.forums.factories import make_group, make_thread

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.fixture
def consultation(site_shell):
    return make_consultation(site_shell["home"], state="open", title="Cached maize decision")


def test_second_anonymous_reader_gets_the_page_without_a_query(
    consultation, django_assert_num_queries
):
    url = consultation.url
    first = _get(Client(), url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _get(Client(), url)
    assert second["X-Page-Cache"] == "hit"
    assert "Cached maize decision" in second.content.decode()
    # The policy and the other headers are those of a rendered page.
    assert "Content-Security-Policy" in second
    assert second["X-Frame-Options"] == "DENY"


def test_each_language_has_its_own_copy(site_shell):
    _get(Client(), "/en/")
    chinese = _get(Client(), "/zh-hans/")
    assert chinese["X-Page-Cache"] == "miss"
    assert 'lang="zh-hans"' in chinese.content.decode()


def test_cached_page_carries_each_visitors_own_csrf_token(consultation):
    _get(Client(), consultation.url)  # warms the cache
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        page = _get(client, consultation.url)
        assert page["X-Page-Cache"] == "hit"
        tokens.append(TOKEN.search(page.content.decode()).group(1))
        # The language switcher works with the token of the page this visitor was given.
        switched = client.post(
            "/en/i18n/setlang/",
            {"csrfmiddlewaretoken": tokens[-1], "language": "fr", "next": "/fr/"},
        )
        assert switched.status_code == 302
    # One visitor's token is refused for the other (each has their own secret).
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    refused = second.post(
        "/en/i18n/setlang/",
        {"csrfmiddlewaretoken": "x" * 64, "language": "fr", "next": "/fr/"},
    )
    assert refused.status_code == 403


def test_signed_in_reader_never_gets_the_anonymous_copy(consultation):
    _get(Client(), consultation.url)
    reader = commenter(display_name="Reader Who Is Signed In")
    client = Client()
    client.force_login(reader)
    page = _get(client, consultation.url)
    assert "X-Page-Cache" not in page
    assert "Send comment" in page.content.decode()
    # …and what they were shown is not given to the next anonymous visitor.
    anonymous = _get(Client(), consultation.url)
    assert "Send comment" not in anonymous.content.decode()


def test_visitor_with_a_message_is_rendered_their_page(consultation):
    _get(Client(), consultation.url)
    client = Client()
    session = client.session
    session["_messages"] = '[["__json_message",0,25,"Your comment is awaiting moderation."]]'
    session.save()
    client.cookies["sessionid"] = session.session_key
    page = _get(client, consultation.url)
    assert "X-Page-Cache" not in page


def test_query_string_is_rendered_not_cached(consultation):
    _get(Client(), consultation.url + "?x=1")
    again = _get(Client(), consultation.url + "?x=1")
    assert "X-Page-Cache" not in again


def test_page_is_not_served_past_its_deadline(site_shell, monkeypatch):
    page = make_consultation(site_shell["home"], state="open")
    soon = timezone.now() + timedelta(minutes=5)
    type(page).objects.filter(pk=page.pk).update(closes_at=soon)
    page.refresh_from_db()
    page.save_revision().publish()
    assert "Send comment" not in _get(Client(), page.url).content.decode()
    assert _get(Client(), page.url)["X-Page-Cache"] == "hit"
    assert "comment period has closed" not in _get(Client(), page.url).content.decode()
    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = _get(Client(), page.url)
    assert after["X-Page-Cache"] == "miss"
    assert "comment period has closed" in after.content.decode()


def test_deleted_page_is_gone_from_the_cache(site_shell):
    page = make_consultation(site_shell["home"], state="open", title="Withdrawn decision")
    url = page.url
    _get(Client(), url)
    assert _get(Client(), url)["X-Page-Cache"] == "hit"
    page.delete()
    assert Client().get(url).status_code == 404


def test_round_opening_on_schedule_is_shown_at_once(db, monkeypatch):
    group = make_group(state="scheduled", theme="Scheduled round")
    url = group.get_absolute_url()
    _get(Client(), url)
    assert _get(Client(), url)["X-Page-Cache"] == "hit"
    later = group.opens_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _get(Client(), url)["X-Page-Cache"] == "miss"


def test_new_published_post_appears_on_the_cached_thread_page(db):
    group = make_group(state="open")
    thread = make_thread(group, title="A cached thread")
    url = thread.get_absolute_url()
    _get(Client(), url)
    from tests.forums.factories import make_post

    make_post(thread, body="A brand new reply about labelling")
    page = _get(Client(), url)
    assert page["X-Page-Cache"] == "miss"
    assert "A brand new reply about labelling" in page.content.decode()


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
)
def test_without_redis_pages_are_rendered(consultation):
    from django.core.cache import caches

    caches._settings = None  # the override's backend, not one made before it
    for _ in range(2):
        page = _get(Client(), consultation.url)
        assert "Cached maize decision" in page.content.decode()
