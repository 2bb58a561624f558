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
"""

import contextvars
from collections.abc import Iterable
from contextlib import contextmanager

_MISSING = object()


class _Reads:
    __slots__ = ("open", "wanted", "got")

    def __init__(self):
        self.open = True
        self.wanted: dict[str, None] = {}  # full cache keys, in the order asked
        self.got: dict[str, object] = {}  # full cache key → value, or _MISSING


_scope: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "read_together", default=None
)


def current() -> _Reads | None:
    reads = _scope.get()
    return reads if reads is not None and reads.open else None


def want(keys: Iterable[str], version: int | None = None) -> None:
    """`keys` of the default cache (as given to `cache.get`) will be read later in this
    request: bring them with the next read that goes to the cache."""
    reads = current()
    if reads is None:
        return
    from django.core.cache import cache

    if not getattr(cache, "reads_together", False):
        return
    for key in keys:
        full = cache.make_and_validate_key(key, version=version)
        if full not in reads.got:
            reads.wanted[full] = None


def forget() -> None:
    """This process wrote to the cache: nothing read ahead is used after it."""
    reads = current()
    if reads is not None:
        reads.got.clear()


def get_many(full_keys: list[str], read) -> dict:
    """The values of `full_keys` (full cache keys) found, from what this request read already
    or by `read(keys)` (one round trip), which also brings the keys wanted meanwhile."""
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
        brought = read(missing + extra)
        for key in missing + extra:
            reads.got[key] = brought.get(key, _MISSING)
        found.update((key, brought[key]) for key in missing if key in brought)
    return found


@contextmanager
def request_scope():
    """One request's scope; closed on leaving, so that work holding a copy of the request's
    context (core.after_response) reads the cache afresh."""
    reads = _Reads()
    token = _scope.set(reads)
    try:
        yield reads
    finally:
        reads.open = False
        _scope.reset(token)


class ReadTogetherMiddleware:
    """Opens the request's scope (above) until the response leaves the middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
