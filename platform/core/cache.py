"""Django's Redis cache, made to treat Redis being away as a cache miss rather than an error.

The cache holds nothing that cannot be rebuilt (navigation, rate-limit counters), so while Redis
restarts, pages still render and posts and comments are still accepted: reads miss, writes are
dropped and rate limits let writes through (failing open loses no one's comment). Each outage is
logged, at most once per LOG_EVERY seconds per process.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.commands.core import Script
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import read_together

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


def _writes(method):
    """A write: what this request read ahead is not used after it (core.read_together)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        read_together.forget()
        return method(self, *args, **kwargs)

    return wrapper


# Connection pools and clients shared by every thread of the process, per server and options.
_shared: dict = {}
_shared_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    """Django's client, with one connection pool and one redis.Redis per server for the whole
    process. Django builds a cache backend per thread, and under ASGI each request runs its
    sync code on a thread of its own: every request opened a new connection to Redis, and
    every cache operation built a new Redis() (redis-py fills a table of some 300 response
    callbacks in each). A pool and its Redis() are thread-safe: a command takes a connection
    from the pool and gives it back."""

    def _shared(self, write):
        index = self._get_connection_pool_index(write)
        # Found once per backend: the key is not worked out again on every operation.
        entries = self.__dict__.setdefault("_entries", {})
        entry = entries.get(index)
        if entry is None:
            key = (self._servers[index], repr(sorted(self._pool_options.items(), key=str)))
            with _shared_lock:
                entry = _shared.get(key)
                if entry is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    entry = _shared[key] = (pool, self._client(connection_pool=pool))
            entries[index] = entry
        return entry

    def _get_connection_pool(self, write):
        return self._shared(write)[0]

    def get_client(self, key=None, *, write=False):
        return self._shared(write)[1]

    def get_many_counting(self, keys, counts: dict) -> tuple[dict, dict]:
        """`get_many(keys)` and one more count under each counter of `counts` ({key: window
        seconds}, `_COUNT_IN_WINDOW`), in one round trip (a pipeline): (values, counts). A
        count Redis refused (a counter of another type, Redis out of memory) is left out, to
        be counted on its own later; the reads fail only as `get_many` would."""
        client = self.get_client(write=True)
        pipe = client.pipeline(transaction=False)
        for key, seconds in counts.items():
            # EVAL, not the script's EVALSHA: in a pipeline, redis-py would first ask whether
            # the script is loaded, a round trip of its own on every call.
            pipe.eval(_COUNT_IN_WINDOW.script, 1, key, seconds)
        if keys:
            pipe.mget(keys)
        replies = pipe.execute(raise_on_error=False)
        values = replies[len(counts)] if keys else []
        if isinstance(values, Exception):
            raise values
        found = {
            k: self._serializer.loads(v) for k, v in zip(keys, values, strict=True) if v is not None
        }
        made = zip(counts, replies[: len(counts)], strict=True)
        return found, {key: count for key, count in made if isinstance(count, int)}


# One more under KEYS[1]; the first count (or a counter left without an expiry) starts the
# window of ARGV[1] seconds. The count so far.
_COUNT_IN_WINDOW = Script(
    None,
    b"""
    local count = redis.call('INCR', KEYS[1])
    if count == 1 or redis.call('TTL', KEYS[1]) == -1 then
        redis.call('EXPIRE', KEYS[1], ARGV[1])
    end
    return count
    """,
)

# A count made ahead and not used (core.read_together.count_ahead) is taken off again; a
# counter that has expired meanwhile stays gone (a DECR would make it anew, without expiry).
_GIVE_BACK = Script(
    None,
    b"""
    for _, key in ipairs(KEYS) do
        if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
    end
    return 0
    """,
)


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient

    def _log_outage(self, operation: str) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY:
            ResilientRedisCache._last_logged = now
            logger.warning("Cache: Redis unreachable during %s; serving without it", operation)

    # Reads consult the request's reads made together (core.read_together); writes forget them.
    reads_together = True

    def validate_key(self, key):
        # Redis takes any key. Django's check is memcached's (at most 250 characters, no spaces
        # or control characters), walked character by character on every key of every call:
        # 1.6% of a comment POST's CPU, for warnings that do not apply here.
        pass

    @_degrade(lambda key, default=None, *a, **kw: default)
    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        if read_together.current() is None:
            return self._cache.get(key, default)
        found = read_together.get_many([key], self._cache.get_many, self._cache.get_many_counting)
        return found.get(key, default)

    @_degrade(lambda keys, *a, **kw: {})
    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        found = read_together.get_many(
            list(key_map), self._cache.get_many, self._cache.get_many_counting
        )
        return {key_map[k]: v for k, v in found.items()}

    has_key = _degrade(lambda key, *a, **kw: False)(RedisCache.has_key)
    add = _degrade(lambda *a, **kw: False)(_writes(RedisCache.add))
    set = _degrade(lambda *a, **kw: None)(_writes(RedisCache.set))
    set_many = _degrade(lambda data, *a, **kw: list(data))(_writes(RedisCache.set_many))
    touch = _degrade(lambda *a, **kw: False)(_writes(RedisCache.touch))
    delete = _degrade(lambda *a, **kw: False)(_writes(RedisCache.delete))
    delete_many = _degrade(lambda *a, **kw: None)(_writes(RedisCache.delete_many))
    incr = _degrade(_missing_key)(_writes(RedisCache.incr))
    clear = _degrade(lambda *a, **kw: False)(_writes(RedisCache.clear))

    def count_in_window(self, key, seconds: int) -> int | None:
        """Count one more under `key`, whose first count opens a window of `seconds` (the
        key's expiry); the count so far. One command (a script: INCR, and EXPIRE on the first
        count), atomic, so the counter never outlives its window; a MULTI of SET NX EX and
        INCR did the same with four replies to read, on every comment and post. A count made
        ahead in this request (core.read_together.count_ahead) is this one. None when Redis is
        away."""
        key = self.make_and_validate_key(key)
        counted = read_together.take_count(key)
        if counted is not None:
            return counted
        read_together.forget()
        try:
            client = self._cache.get_client(key, write=True)
            return _COUNT_IN_WINDOW(keys=[key], args=[seconds], client=client)
        except UNREACHABLE:
            self._log_outage("count_in_window")
            return None

    def give_back(self, full_keys: list[str]) -> None:
        """One count fewer under each of `full_keys` (full keys) that still exists."""
        try:
            client = self._cache.get_client(write=True)
            _GIVE_BACK(keys=full_keys, client=client)
        except UNREACHABLE:
            self._log_outage("give_back")
        except RedisError:
            # Run as the response leaves: a refusal here must not turn the answer into a 500.
            logger.exception("Cache: counts %s not given back", full_keys)
