"""Under ASGI each request runs its sync code on a thread of its own, and Django builds a cache
backend per thread: without a pool shared by the process, every request opened a connection to
Redis (issue 16). Threads must share one pool and one client."""

import os
import threading

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)"
)


def test_threads_share_one_redis_pool_and_client():
    seen = []

    def request_thread():
        cache = caches["default"]  # this thread's own backend, as a request's would be
        cache.get("shared-pool-probe")
        client = cache._cache.get_client()
        seen.append((cache, client, client.connection_pool))  # kept alive: ids stay unique

    threads = [threading.Thread(target=request_thread) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(backend) for backend, _, _ in seen}) == 8  # one backend per thread…
    assert len({id(client) for _, client, _ in seen}) == 1  # …sharing one client
    assert len({id(pool) for _, _, pool in seen}) == 1  # …and its one pool of connections


def test_a_key_memcached_would_refuse_is_kept_without_a_warning(recwarn):
    # Redis takes any key; Django's memcached check walked every character of every key.
    cache = caches["default"]
    key = "search:terms:" + "maïs Bt 11 " * 30  # spaces, non-ASCII, over 250 characters
    cache.set(key, "found", 30)
    assert cache.get(key) == "found"
    assert cache.get_many([key]) == {key: "found"}
    assert not [w for w in recwarn if "CacheKeyWarning" in type(w.message).__name__]
