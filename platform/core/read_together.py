"""Cache reads a request is sure to make, made in the round trip of the one before.

A signed-in page asks the cache for a handful of independent facts: its route, the session, the
page's tags, the course outline and the learner's state, the person's roles, the header's
links, Wagtail's site root paths. Each ask is one round trip to Redis, and on a busy worker a
round trip costs 160–310 µs of its CPU, however small the answer (docs/speed.md). Code that
knows early what will be asked later says so, `want(keys)`; the next read that goes to Redis
carries those keys too, and the later asks are answered from what it brought back.

- **Per request.** `ReadTogetherMiddleware` opens a scope for each request; outside one (a
  command, a background task, the embedded default's local memory cache) `want` does nothing
  and every read goes to the cache as usual.
- **A snapshot, never a stale one.** What was read together is what the cache held at that
  instant, as if the later asks had been made then; a key asked twice is answered the same
  way twice. Any write by this process through the cache (a set, an add, a delete, an
  invalidation) forgets everything read: what is asked after a write is read again.
- **Only the default cache,** and only its Redis backend (core.cache.ResilientRedisCache), which
  consults the scope in `get` and `get_many`.
- **A count too** (`count_ahead`): a request that will count an attempt against a rate limit
  (a comment) counts it in the same round trip. The count is the attempt's only if the limit is
  asked about later (`take_count`); a count nobody took (the input was refused, the account
  guessed was not the session's, the request failed) is given back when the request ends, so
  refused input still uses up no allowance.
"""

import contextvars
from collections.abc import Iterable
from contextlib import contextmanager

_MISSING = object()


class _Reads:
    __slots__ = ("open", "wanted", "got", "to_count", "counted")

    def __init__(self):
        self.open = True
        self.wanted: dict[str, None] = {}  # full cache keys, in the order asked
        self.got: dict[str, object] = {}  # full cache key → value, or _MISSING
        self.to_count: dict[str, int] = {}  # full key of a counter → its window (seconds)
        self.counted: dict[str, int] = {}  # full key of a counter → the count, not yet taken


_scope: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "read_together", default=None
)


def current() -> _Reads | None:
    reads = _scope.get()
    return reads if reads is not None and reads.open else None


def _scope_and_cache():
    """This request's scope and the default cache, or (None, None) outside a request or when
    the cache does not read together (local memory)."""
    reads = current()
    if reads is None:
        return None, None
    from django.core.cache import cache

    if not getattr(cache, "reads_together", False):
        return None, None
    return reads, cache


def want(keys: Iterable[str], version: int | None = None) -> None:
    """`keys` of the default cache (as given to `cache.get`) will be read later in this
    request: bring them with the next read that goes to the cache."""
    reads, cache = _scope_and_cache()
    if reads is None:
        return
    for key in keys:
        full = cache.make_and_validate_key(key, version=version)
        if full not in reads.got:
            reads.wanted[full] = None


def count_ahead(key: str, seconds: int) -> None:
    """One attempt will probably be counted under `key` of the default cache (a window of
    `seconds`, `ResilientRedisCache.count_in_window`) in this request: count it with the next
    read that goes to the cache. Untaken, it is given back at the end of the request."""
    reads, cache = _scope_and_cache()
    if reads is None:
        return
    full = cache.make_and_validate_key(key)
    if full not in reads.counted:
        reads.to_count[full] = seconds


def take_count(full_key: str) -> int | None:
    """The count made ahead under `full_key` in this request (now this attempt's), or None."""
    reads = current()
    if reads is None:
        return None
    reads.to_count.pop(full_key, None)
    return reads.counted.pop(full_key, None)


def forget() -> None:
    """This process wrote to the cache: nothing read ahead is used after it."""
    reads = current()
    if reads is not None:
        reads.got.clear()


def get_many(full_keys: list[str], read, read_counting=None) -> dict:
    """The values of `full_keys` (full cache keys) found, from what this request read already
    or by `read(keys)` (one round trip), which also brings the keys wanted meanwhile; with
    counts to make ahead, by `read_counting(keys, {counter: seconds})` → (values, counts)."""
    reads = current()
    if reads is None:
        return read(full_keys)
    found = {}
    missing = []
    for key in full_keys:
        if key not in reads.got:
            missing.append(key)
        elif reads.got[key] is not _MISSING:
            found[key] = reads.got[key]
    if missing:
        asked = set(missing)
        extra = [key for key in reads.wanted if key not in asked]
        reads.wanted.clear()
        if reads.to_count and read_counting is not None:
            to_count, reads.to_count = reads.to_count, {}
            brought, counted = read_counting(missing + extra, to_count)
            reads.counted.update(counted)
        else:
            brought = read(missing + extra)
        for key in missing + extra:
            reads.got[key] = brought.get(key, _MISSING)
        found.update((key, brought[key]) for key in missing if key in brought)
    return found


@contextmanager
def request_scope():
    """One request's scope; closed on leaving, so that work holding a copy of the request's
    context (core.after_response) reads the cache afresh. Counts made ahead and not taken are
    given back."""
    reads = _Reads()
    token = _scope.set(reads)
    try:
        yield reads
    finally:
        reads.open = False
        _scope.reset(token)
        if reads.counted:
            from django.core.cache import cache

            cache.give_back(list(reads.counted))


class ReadTogetherMiddleware:
    """Opens the request's scope (above) until the response leaves the middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
