import os

import pytest
from django.core.cache import cache

from core.ratelimit import Rate, rate_limit_exceeded


def test_the_limit_allows_exactly_count_attempts_per_window():
    rate = Rate(3, 60)
    verdicts = [rate_limit_exceeded(scope="post", key=1, rate=rate) for _ in range(5)]
    assert verdicts == [False, False, False, True, True]


def test_each_user_and_each_scope_has_its_own_allowance():
    rate = Rate(1, 60)
    assert not rate_limit_exceeded(scope="post", key=1, rate=rate)
    assert not rate_limit_exceeded(scope="post", key=2, rate=rate)
    assert not rate_limit_exceeded(scope="comment", key=1, rate=rate)
    assert rate_limit_exceeded(scope="post", key=1, rate=rate)


def test_a_new_window_starts_a_new_count():
    rate = Rate(1, 60)
    assert not rate_limit_exceeded(scope="post", key=1, rate=rate)
    cache.clear()  # the window's counter expired
    assert not rate_limit_exceeded(scope="post", key=1, rate=rate)


@pytest.mark.parametrize("text", ["", "10", "a/b", "0/60", "10/0", "-1/60"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_a_rate_reads_count_per_seconds():
    assert Rate.parse("10/60") == Rate(10, 60)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)")
def test_on_redis_the_window_is_the_counters_expiry_and_outlives_no_count():
    rate = Rate(2, 60)
    assert not rate_limit_exceeded(scope="ttl", key=7, rate=rate)
    client = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("ratelimit:ttl:7")
    first_ttl = client.ttl(key)
    assert 0 < first_ttl <= 60
    assert not rate_limit_exceeded(scope="ttl", key=7, rate=rate)
    assert rate_limit_exceeded(scope="ttl", key=7, rate=rate)
    assert 0 < client.ttl(key) <= first_ttl  # counting does not push the window out
    assert cache.get("ratelimit:ttl:7") == 3  # the cache API reads the same counter


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)")
def test_on_redis_a_counter_left_without_an_expiry_gets_one_and_locks_no_one_out():
    client = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("ratelimit:stuck:8")
    client.set(key, 5)  # no expiry: as if the expiry had been lost
    rate = Rate(2, 60)
    assert rate_limit_exceeded(scope="stuck", key=8, rate=rate)
    assert 0 < client.ttl(key) <= 60  # the window now ends
    client.delete(key)  # it ended
    assert not rate_limit_exceeded(scope="stuck", key=8, rate=rate)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)")
def test_on_redis_counting_survives_a_server_that_forgot_its_scripts():
    client = cache._cache.get_client(write=True)
    client.script_flush()  # a Redis restarted: its script cache is empty
    rate = Rate(1, 60)
    assert not rate_limit_exceeded(scope="flushed", key=9, rate=rate)
    assert rate_limit_exceeded(scope="flushed", key=9, rate=rate)


def test_with_the_cache_away_writes_are_let_through(monkeypatch):
    # Failing open: a Redis restart must not refuse anyone's comment (core.cache).
    from redis.exceptions import ConnectionError as RedisConnectionError

    if os.environ.get("REDIS_URL"):
        client = cache._cache.get_client(write=True)

        def unreachable(*args, **kwargs):
            raise RedisConnectionError("down")

        for command in ("evalsha", "eval", "script_load", "set", "incr"):
            monkeypatch.setattr(type(client), command, unreachable)
    else:
        monkeypatch.setattr(cache, "add", lambda *a, **kw: False)

        def missing(*args, **kwargs):
            raise ValueError("not found")

        monkeypatch.setattr(cache, "incr", missing)
    rate = Rate(1, 60)
    assert [rate_limit_exceeded(scope="down", key=1, rate=rate) for _ in range(3)] == [False] * 3
