"""core.read_together: what a request says it will read from the cache comes with its next read,
in one round trip; what it read is answered again without one; a write forgets it all; nothing
outlives the request. The mechanism's rules are checked everywhere (with a stand-in for Redis's
MGET); the round trips of a signed-in lesson on the real Redis in CI's second run."""

import os
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from core import read_together
from core.cache import SharedPoolRedisCacheClient
from core.read_together import ReadTogetherMiddleware, request_scope, want

# A Redis nobody listens on: keys are made as the real backend makes them, nothing connects.
AWAY = {
    "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}


class FakeRedis:
    """MGET of a dict, counting round trips."""

    def __init__(self, data):
        self.data = data
        self.trips = []

    def __call__(self, keys):
        self.trips.append(list(keys))
        return {k: self.data[k] for k in keys if k in self.data}


def full(key):
    return cache.make_and_validate_key(key)


@override_settings(CACHES=AWAY)
def test_wanted_keys_come_with_the_next_read_and_answer_the_later_ones():
    redis = FakeRedis({full("route"): 1, full("links"): ["/en/courses/"], full("roles"): {"x"}})
    with request_scope():
        want(["links", "roles", "absent"])
        assert redis.trips == []  # wanting reads nothing by itself
        assert read_together.get_many([full("route")], redis) == {full("route"): 1}
        assert sorted(redis.trips[0]) == sorted(map(full, ["route", "links", "roles", "absent"]))
        # Later asks, the absent key included, are answered without a round trip.
        assert read_together.get_many([full("links"), full("absent")], redis) == {
            full("links"): ["/en/courses/"]
        }
        assert read_together.get_many([full("route")], redis) == {full("route"): 1}
        assert len(redis.trips) == 1
        # A key nobody wanted is read, alone.
        read_together.get_many([full("other")], redis)
        assert redis.trips[1] == [full("other")]


@override_settings(CACHES=AWAY)
def test_a_write_forgets_what_was_read():
    redis = FakeRedis({full("links"): "old"})
    with request_scope():
        want(["links"])
        read_together.get_many([full("route")], redis)
        redis.data[full("links")] = "new"
        cache.set("links", "new")  # Redis is away: the write is dropped, but still forgets
        assert read_together.get_many([full("links")], redis) == {full("links"): "new"}
        assert len(redis.trips) == 2


@override_settings(CACHES=AWAY)
def test_an_invalidation_forgets_what_was_read(db):
    from core.page_cache import invalidate

    redis = FakeRedis({full("links"): "old"})
    # The tag's new time is written by a path of its own (not the backend's `set_many`).
    with request_scope(), mock.patch("core.page_cache._strict", return_value=lambda *a, **k: None):
        want(["links"])
        read_together.get_many([full("route")], redis)
        invalidate("course:0001")
        read_together.get_many([full("links")], redis)
        assert len(redis.trips) == 2


@override_settings(CACHES=AWAY)
def test_outside_a_request_nothing_is_kept():
    redis = FakeRedis({full("links"): 1})
    want(["links"])  # no scope: ignored
    read_together.get_many([full("route")], redis)
    read_together.get_many([full("route")], redis)
    assert redis.trips == [[full("route")], [full("route")]]


@override_settings(CACHES=AWAY)
def test_the_scope_closes_with_the_response():
    kept = []

    def view(request):
        want(["links"])
        kept.append(read_together.current())
        return HttpResponse()

    ReadTogetherMiddleware(view)(RequestFactory().get("/"))
    assert kept[0] is not None
    # Work that runs after the response (core.after_response) and copied the request's
    # context sees no scope: it reads the cache afresh.
    assert not kept[0].open and read_together.current() is None


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_the_local_memory_cache_reads_as_before():
    # The embedded default: `want` does nothing, and each read goes to the cache.
    with request_scope() as reads:
        want(["links"])
        assert reads.wanted == {}


@override_settings(CACHES=AWAY)
def test_redis_away_inside_a_request_reads_as_misses(db):
    # The backend's reads degrade to misses (core.cache) with keys wanted: a page renders.
    with request_scope():
        want(["links", "roles"])
        assert cache.get("route", "default") == "default"
        assert cache.get_many(["links", "roles"]) == {}


# --- on the real Redis --------------------------------------------------------------------

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)"
)


@contextmanager
def redis_round_trips():
    """The reads that went to Redis, each a list of its keys (and of the counters counted in
    the same round trip, core.read_together.count_ahead)."""
    trips = []
    client = SharedPoolRedisCacheClient
    real_many, real_get, real_counting = client.get_many, client.get, client.get_many_counting

    def get_many(self, keys):
        trips.append(list(keys))
        return real_many(self, keys)

    def get(self, key, default=None):
        trips.append([key])
        return real_get(self, key, default)

    def get_many_counting(self, keys, counts):
        trips.append([*keys, *counts])
        return real_counting(self, keys, counts)

    with (
        mock.patch.object(client, "get_many", get_many),
        mock.patch.object(client, "get", get),
        mock.patch.object(client, "get_many_counting", get_many_counting),
    ):
        yield trips


@contextmanager
def redis_commands_sent():
    """What this process sent to Redis, one bytes string per round trip (a command, or a
    pipeline's commands together)."""
    from redis.connection import AbstractConnection

    sent = []
    real = AbstractConnection.send_packed_command

    def send(self, command, check_health=True):
        parts = command if isinstance(command, list) else [command]
        sent.append(b"".join(bytes(part) for part in parts))
        return real(self, command, check_health)

    with mock.patch.object(AbstractConnection, "send_packed_command", send):
        yield sent


@needs_redis
@pytest.mark.django_db
def test_a_signed_in_lesson_reads_redis_twice(demo, settings):
    from accounts.models import User
    from core.demo_pages import demo_page_urls

    settings.SESSION_ENGINE = "core.sessions"
    from core.account_cache import account_key

    lesson = demo_page_urls()["lesson"]
    client = Client()
    user = User.objects.get(email="participant@example.org")
    client.force_login(user)
    cache.delete(account_key(user.pk))  # the sign-in's marker, as if 10 s had passed
    for _ in range(2):
        client.get(lesson)  # the route, outline, text, state, roles and account cached
    with redis_round_trips() as trips, CaptureQueriesContext(connection) as queries:
        response = client.get(lesson)
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated
    session_key = client.session.session_key
    # The route with the session, the account, the header's links and the reader's roles,
    # then the route's tags with all the page reads for this reader.
    assert len(trips) == 2, trips
    assert any(session_key in key for key in trips[0])
    assert any(":accounts:signed-in:" in key for key in trips[0])
    # The account came from the cache, not from its table (core.account_cache).
    assert not [q for q in queries if f'FROM "{User._meta.db_table}"' in q["sql"]]
    assert any(":core:route:" in key for key in trips[0])
    assert any(":courses:nav:" in key for key in trips[0])
    assert any(":courses:learner:" in key for key in trips[1])
    assert any(":accounts:roles:" in key for key in trips[0] + trips[1])


@needs_redis
@pytest.mark.django_db
def test_a_signed_in_page_outside_the_tree_reads_the_header_with_the_session(demo, settings):
    # "My learning" is a view of its own, not a page of the tree: the session, the header's
    # links and the reader's roles come in the request's one read (SignedInReadsMiddleware).
    from accounts.models import User

    settings.SESSION_ENGINE = "core.sessions"
    client = Client()
    client.force_login(User.objects.get(email="participant@example.org"))
    for _ in range(2):
        client.get("/en/courses/my-learning/")
    with redis_round_trips() as trips:
        response = client.get("/en/courses/my-learning/")
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated
    assert len(trips) == 1, trips
    keys = " ".join(trips[0])
    assert client.session.session_key in keys and ":accounts:signed-in:" in keys
    assert ":courses:nav:en" in keys and ":accounts:roles:" in keys


@pytest.mark.django_db
def test_a_role_given_between_two_pages_shows_on_the_next(demo, settings):
    # What the header reads together is read afresh on each request: the Admin link appears
    # on the page after the person is made an officer.
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    if os.environ.get("REDIS_URL"):
        settings.SESSION_ENGINE = "core.sessions"
    user = User.objects.get(email="participant@example.org")
    client = Client()
    client.force_login(user)
    assert 'href="/admin/"' not in client.get("/en/courses/my-learning/").content.decode()
    user.groups.add(Group.objects.get(name=Role.CONSULTATION_OFFICERS.value))
    assert 'href="/admin/"' in client.get("/en/courses/my-learning/").content.decode()


@override_settings(CACHES=AWAY)
def test_redis_away_with_a_count_ahead_lets_the_attempt_through(db):
    # Failing open, as the rate limit does without Redis (core.cache): nothing is refused.
    with request_scope() as reads:
        read_together.count_ahead("ratelimit:test:1", 60)
        want(["links"])
        assert cache.get("links") is None
        assert cache.count_in_window("ratelimit:test:1", 60) is None
    assert reads.counted == {}


@needs_redis
def test_a_count_made_ahead_is_the_attempts_or_is_given_back():
    cache.delete_many(["ratelimit:test:taken", "ratelimit:test:untaken", "ratelimit:test:gone"])
    with request_scope():
        for key in ("taken", "untaken", "gone"):
            read_together.count_ahead(f"ratelimit:test:{key}", 60)
        cache.get("anything")  # the round trip that counts them
        assert cache.count_in_window("ratelimit:test:taken", 60) == 1
        cache.delete("ratelimit:test:gone")  # its window ended meanwhile
    assert cache.get("ratelimit:test:taken") == 1
    assert cache.get("ratelimit:test:untaken") == 0
    # Not made anew by the giving back (it would have no expiry).
    assert not cache.has_key("ratelimit:test:gone")


@needs_redis
def test_a_count_redis_refuses_leaves_the_reads_whole():
    # A counter holding something that is not a number: INCR fails, the read it came with
    # does not; the attempt is counted on its own later, as without the count ahead.
    cache.set("ratelimit:test:text", "not a number")
    cache.set("route", "found")
    with request_scope() as reads:
        read_together.count_ahead("ratelimit:test:text", 60)
        assert cache.get("route") == "found"
        assert reads.counted == {}
