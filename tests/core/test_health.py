"""/health/ for load balancers and monitoring, and the site carrying on while Redis is away."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import override_settings

from core.cache import ResilientRedisCache
from core.health import check_channel_layer
from core.ratelimit import Rate, rate_limit_exceeded
from tests.cluster import free_port

pytestmark = pytest.mark.django_db


def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def dead_redis_settings():
    url = dead_redis_url()
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "core.cache.ResilientRedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        },
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [url]},
            }
        },
    )


def test_health_reports_each_part_it_checked(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "cache": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_without_redis_the_site_is_degraded_but_stays_in_the_pool(client):
    with dead_redis_settings():
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "channel_layer": "unavailable",
        "cache": "unavailable",
    }


def test_without_the_database_the_worker_leaves_the_pool(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"
    assert "could not connect" not in response.content.decode()  # no internals leak


def test_pages_still_render_while_redis_is_away(client, site_shell):
    with dead_redis_settings():
        assert client.get("/en/").status_code == 200
        assert client.get("/zh-hans/").status_code == 200


def test_an_unreachable_cache_answers_like_an_empty_one():
    cache = ResilientRedisCache(dead_redis_url(), {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("k", 5) == 5
    cache.set("k", 1)  # dropped, not raised
    assert cache.add("k", 1) is False
    assert cache.has_key("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")


def test_rate_limits_let_writes_through_while_the_cache_is_away(monkeypatch):
    dead = ResilientRedisCache(dead_redis_url(), {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr("core.ratelimit.cache", dead)
    rate = Rate(1, 60)
    # Losing a comment would be worse than letting a burst through for a moment.
    assert [rate_limit_exceeded(scope="comment", key=1, rate=rate) for _ in range(3)] == [
        False,
        False,
        False,
    ]


def test_a_working_resilient_cache_is_a_plain_redis_cache(settings):
    if "Resilient" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL (CI's second run)")
    cache = caches["default"]
    cache.set("health-test", 3)
    assert cache.incr("health-test") == 4
    assert cache.get("health-test") == 4
    rate = Rate(2, 60)
    verdicts = [rate_limit_exceeded(scope="health-test", key=9, rate=rate) for _ in range(3)]
    assert verdicts == [False, False, True]


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.asyncio
async def test_a_probe_whose_client_hung_up_leaves_the_next_probe_working(settings, monkeypatch):
    """A prober that gives up (its timeout) makes Django cancel the view mid-wait; on the Redis
    pub/sub layer that unsubscribes the probe channel. The next probe must still read its own
    message back, or one impatient prober would mark a healthy worker degraded for good."""
    if "pubsub" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL (CI's second run): the in-memory layer keeps no subscriptions")
    layer = get_channel_layer()
    assert await check_channel_layer()  # the probe channel is made, and kept for the next
    sent = layer.send

    async def astray(channel, message):  # the message never arrives: the probe keeps waiting
        return None

    monkeypatch.setattr(layer, "send", astray)
    cut_off = asyncio.create_task(check_channel_layer())
    await asyncio.sleep(0.2)  # inside receive()
    cut_off.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cut_off
    monkeypatch.setattr(layer, "send", sent)
    assert await check_channel_layer()
    assert await check_channel_layer()
