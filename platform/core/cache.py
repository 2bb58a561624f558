"""Django's Redis cache, made to treat Redis being away as a cache miss rather than an error.

The cache holds nothing that cannot be rebuilt (navigation, rate-limit counters), so while Redis
restarts, pages still render and posts and comments are still accepted: reads miss, writes are
dropped and rate limits let writes through (failing open loses no one's comment). Each outage is
logged, at most once per LOG_EVERY seconds per process.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

LOG_EVERY = 30.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _degrade(fallback):
    """Run the cache operation; if Redis cannot be reached, return `fallback(*args)` instead."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE:
                self._log_outage(method.__name__)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _missing_key(key, *args, **kwargs):
    # What the cache API says for incr() on a key it does not hold.
    raise ValueError(f"Key {key!r} not found (the cache is unreachable)")


class _OneClientPerPool(RedisCacheClient):
    """Django builds a Redis client object for every cache operation, which costs more CPU
    than the operation's own work (redis-py fills its table of reply parsers each time), and a
    signed-in page makes a dozen. One client per connection pool serves them all: redis-py's
    clients may be shared between threads (each command takes a connection from the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def _log_outage(self, operation: str) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY:
            ResilientRedisCache._last_logged = now
            logger.warning("Cache: Redis unreachable during %s; serving without it", operation)

    get = _degrade(lambda key, default=None, *a, **kw: default)(RedisCache.get)
    get_many = _degrade(lambda keys, *a, **kw: {})(RedisCache.get_many)
    has_key = _degrade(lambda key, *a, **kw: False)(RedisCache.has_key)
    add = _degrade(lambda *a, **kw: False)(RedisCache.add)
    set = _degrade(lambda *a, **kw: None)(RedisCache.set)
    set_many = _degrade(lambda data, *a, **kw: list(data))(RedisCache.set_many)
    touch = _degrade(lambda *a, **kw: False)(RedisCache.touch)
    delete = _degrade(lambda *a, **kw: False)(RedisCache.delete)
    delete_many = _degrade(lambda *a, **kw: None)(RedisCache.delete_many)
    incr = _degrade(_missing_key)(RedisCache.incr)
    clear = _degrade(lambda *a, **kw: False)(RedisCache.clear)
