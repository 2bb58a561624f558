"""Per-user rate limits for writes (posts, comments), kept in the cache.

The embedded default counts in local memory (one process); with REDIS_URL every worker
shares one count. The window starts with a person's first attempt and lasts `seconds`
(the counter's expiry), so no clock boundary lets a burst of twice the limit through.
"""

from dataclasses import dataclass

from django.core.cache import cache

from . import read_together


@dataclass(frozen=True)
class Rate:
    count: int  # writes allowed…
    seconds: int  # …per this many seconds

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """ "10/60" → 10 per 60 seconds. Raises ValueError on anything else."""
        count, _slash, seconds = text.partition("/")
        rate = cls(int(count), int(seconds))
        if rate.count < 1 or rate.seconds < 1:
            raise ValueError(f"Bad rate {text!r}: both numbers must be positive.")
        return rate


def rate_limit_exceeded(*, scope: str, key, rate: Rate) -> bool:
    """Count one attempt for `key` (a user id) in `scope`; True once over the limit.

    Call it only for attempts that would otherwise be stored, so refused input does not
    use up the allowance.
    """
    cache_key = _cache_key(scope, key)
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:  # Redis (core.cache): one round trip
        count = count_in_window(cache_key, rate.seconds)
        return count is not None and count > rate.count
    # add() is atomic: the first attempt creates the counter, which expires with the window;
    # incr() keeps that expiry (Redis INCR and the local-memory cache alike).
    if cache.add(cache_key, 1, timeout=rate.seconds):
        return rate.count < 1
    try:
        return cache.incr(cache_key) > rate.count
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=rate.seconds)
        return False


def count_ahead(*, scope: str, key, rate: Rate) -> None:
    """`rate_limit_exceeded(scope=…, key=…)` will probably be asked in this request: count the
    attempt with the request's next read of the cache instead (core.read_together; Redis
    only), one round trip fewer. Not asked after all (refused input, another account), the
    count is given back when the request ends.

    Off by one at the edges, never by more: while the request runs its count is in the
    window (a concurrent attempt at the limit may be refused for input refused anyway); a
    count given back after its window ended and a new one began is taken off the new one; a
    count whose reply Redis did not deliver in time is made again."""
    read_together.count_ahead(_cache_key(scope, key), rate.seconds)


def _cache_key(scope: str, key) -> str:
    return f"ratelimit:{scope}:{key}"
