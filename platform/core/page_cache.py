"""Whole pages for visitors who are not signed in, from Django's cache (docs/page-cache.md).

A thousand readers sent to one consultation by the news, two hundred learners opening one
lesson: they all get the same HTML, so it is rendered once and served from the cache (Redis in
production, shared by every worker; local memory in the embedded default).

- **Opt-in.** A view or page says `cache_this_page(request, tags=…, until=…)`; nothing else is
  stored. `tags` name what the page shows ("consultation:12", "group:3"); `until` (a datetime,
  or a callable giving one) is the next moment its state changes by itself (a comment period
  opening or closing, a round opening): the entry expires then, never later.
- **Only the anonymous, generic page.** Served and stored only for GET without a query string,
  without a session cookie, for a visitor not signed in; stored only for a 200 HTML answer that
  set no cookie, wrote nothing into the session, queued no message, asked for no CSP nonce and
  rendered no one-use form token (`mark_personal`). The CSRF token of the site's forms (the
  language switcher) is cut out before storing and a fresh one for the visitor put in on each
  hit, so no visitor ever posts with another's token.
- **Invalidation by tag timestamps, on commit.** `invalidate(*tags)` records, after the
  transaction commits, the time at which each tag changed; an entry is served only if it began
  rendering after every one of its tags last changed. Readers in all workers see the same
  timestamps in the shared cache, so a moderation decision clears the page everywhere at once,
  and a page rendered from data older than the change (a render racing the commit) is never
  served. A tag the cache lost (eviction, a Redis restart) counts as changed.
- **Redis away: render.** A miss, a dropped write; an invalidation that could not be written is
  retried by this process before it serves its next cached page, and until then it serves
  none (the other workers' entries are bounded by MAX_AGE).

Every entry also carries the tag SITE, changed by whatever alters every page (the header's area
links, the page tree's structure, a page's privacy).
"""

import contextvars
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from . import read_together

logger = logging.getLogger(__name__)

SITE = "site"
VIEW_RESTRICTIONS_SECONDS = 600
KEY_VERSION = "1"
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"

_personal: contextvars.ContextVar[bool] = contextvars.ContextVar("page_personal", default=False)
# Invalidations this process could not write (Redis away): retried before serving from cache.
_unwritten: dict[str, float] = {}


# --- what views and services call -----------------------------------------------------------


def cache_this_page(
    request, *, tags: Iterable[str], until: datetime | Callable[[], datetime | None] | None = None
) -> None:
    """Let this answer be stored for anonymous visitors, as showing `tags`, until `until`."""
    request._page_cache = (frozenset(tags) | {SITE}, until)


def mark_personal() -> None:
    """The answer being rendered holds something for this visitor only: do not store it."""
    _personal.set(True)


def invalidate(*tags: str) -> None:
    """After the current transaction commits (at once outside one), pages showing any of
    `tags` are no longer served from the cache, on every worker."""
    tags = tuple(t for t in tags if t)
    if tags:
        # Now, so that no page rendered before the change is served from here on, and again
        # on commit, since a page rendered meanwhile still read the data before the change.
        _write_changes(tags)
        transaction.on_commit(lambda: _write_changes(tags), robust=True)


def unchanged_since(tags: Iterable[str], started: float) -> bool:
    """True when none of `tags` changed after `started` (a time.time()): what was read from
    the database then still holds. For other caches that follow the same invalidations
    (courses.learner_cache). A tag the cache lost counts as changed."""
    if not _retry_unwritten():
        return False
    keys = [_tag_key(tag) for tag in tags]
    return not keys or _all_before(_backend().get_many(keys), keys, started)


def _all_before(found: dict, keys: list[str], started: float) -> bool:
    """Each tag key read back (in `found`) and changed before `started`."""
    return all(key in found and found[key] < started for key in keys)


def read_with_tag_times(keys: list[str], tags: Iterable[str]) -> tuple[dict, dict | None]:
    """`cache.get_many(keys)`, and when each of `tags` last changed (None: never, or lost), in
    one round trip, for a caller that knows the tags of the entries it reads before reading
    them. The times are None while an invalidation of this process is still unwritten (then
    nothing counts as unchanged)."""
    times_wanted = _retry_unwritten()
    tag_keys = {tag: _tag_key(tag) for tag in tags} if times_wanted else {}
    found = _backend().get_many([*keys, *tag_keys.values()])
    entries = {key: found[key] for key in keys if key in found}
    return entries, ({tag: found.get(k) for tag, k in tag_keys.items()} if times_wanted else None)


def unchanged_in(times: dict | None, tags: Iterable[str], started: float) -> bool:
    """`unchanged_since(tags, started)`, from the times `read_with_tag_times` read (which must cover
    `tags`)."""
    if times is None:
        return False
    for tag in tags:
        at = times.get(tag)
        if at is None or at >= started:
            return False
    return True


def note_tags(tags: Iterable[str], started: float) -> None:
    """A tag nobody changed yet: say it changed just before `started` (as a stored page does),
    so that what was read from `started` on can be kept."""
    backend = _backend()
    for tag in tags:
        backend.add(_tag_key(tag), started - 2 * _skew() - 1, timeout=None)


def cached_under_tags(key: str, tags: list[str], build: Callable, timeout: int):
    """`build()`, kept in the cache under `key` while none of `tags` changed: a value read
    before a change is never used after it, on any worker (a write racing the read included).
    For facts that the same invalidations already cover (a consultation's outcome, a person's
    verified address). `key` must name whose value it is when it is a person's."""
    from django.core.cache import cache

    tag_keys = [_tag_key(tag) for tag in tags]
    found = None
    if _retry_unwritten():
        # The entry and its tags' times in one round trip (or none: `want_entries`): every
        # signed-in page asks here.
        found = cache.get_many([key, *tag_keys])
    if found is not None:
        entry = found.get(key)
        if entry is not None and _all_before(found, tag_keys, entry["started"]):
            return entry["value"]
    started = time.time()
    value = build()
    note_tags(tags, started)
    if unchanged_since(tags, started):  # nothing changed while it was read
        cache.set(key, {"started": started, "value": value}, timeout)
    return value


def want_entries(entries: Iterable[tuple[str, list[str]] | None]) -> None:
    """`cached_under_tags(key, tags, …)` will be asked for each of `entries` ((key, tags), None
    for none) in this request: read them, with their tags' times, together with the request's
    next read of the cache (core.read_together). A request that needs several such facts (a
    comment: its page and its author) pays for one round trip."""
    keys = [k for entry in entries if entry is not None for k in (entry[0], *tag_keys(entry[1]))]
    read_together.want(keys)


# --- the mechanism ---------------------------------------------------------------------------


def _tag_key(tag: str) -> str:
    return f"page-cache:tag:{tag}"


def tag_keys(tags: Iterable[str]) -> list[str]:
    """The cache keys of `tags`' times, for core.read_together."""
    return [_tag_key(tag) for tag in tags]


def _strict(method: str):
    """The cache operation that raises when Redis is away (core.cache degrades silently)."""
    from .cache import ResilientRedisCache

    if isinstance(_backend(), ResilientRedisCache):
        from django.core.cache.backends.redis import RedisCache

        return getattr(RedisCache, method).__get__(_backend())
    return getattr(_backend(), method)


def _backend():
    from django.core.cache import caches

    return caches["default"]


def _skew() -> float:
    """Workers on several machines have clocks apart by a little: a change counts as this much
    later than it was (setting PAGE_CACHE_CLOCK_SKEW, seconds)."""
    return getattr(settings, "PAGE_CACHE_CLOCK_SKEW", 0.5)


def _write_changes(tags: Iterable[str]) -> None:
    changed = time.time() + _skew()
    data = {_tag_key(tag): changed for tag in tags}
    pending = {**_unwritten, **data}
    read_together.forget()
    try:
        _strict("set_many")(pending, timeout=None)
    except Exception:
        logger.warning("Page cache: could not record a change of %s; retrying later", tags)
        _unwritten.update(data)
        return
    _unwritten.clear()


def _retry_unwritten() -> bool:
    """True when nothing this process changed is still unwritten."""
    if not _unwritten:
        return True
    _write_changes(())
    return not _unwritten


def _max_age() -> int:
    """Seconds an entry lives at most, whatever happens (setting PAGE_CACHE_SECONDS; 0: off)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def _eligible(request) -> bool:
    return (
        _max_age() > 0
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.user.is_authenticated
        and not request.path_info.startswith(("/admin/", "/static/", "/media/"))
    )


def _entry_key(request) -> str:
    # The host and path hashed: a key stays short and plain whatever the URL carries (a
    # garbage path of thousands of characters, NUL bytes).
    where = f"{request.get_host()}\n{request.path}".encode("utf-8", "surrogatepass")
    return f"page-cache:page:{KEY_VERSION}:{get_language()}:{hashlib.sha256(where).hexdigest()}"


def _fresh(entry: dict) -> bool:
    if entry["until"] is not None and timezone.now() >= entry["until"]:
        return False
    return unchanged_since(entry["tags"], entry["started"])


def _from_entry(request, entry: dict) -> HttpResponse:
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    # The page depends on having no session: a shared cache in front must not keep it for a
    # signed-in reader.
    patch_vary_headers(response, ("Cookie",))
    response["X-Page-Cache"] = "hit"
    return response


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not _personal.get()
        and not getattr(request, "_csp_nonce", None)
        and not (hasattr(request, "session") and request.session.modified)
        and not len(getattr(request, "_messages", ()))
        and not request.user.is_authenticated
    )


def _store(request, response, started: float) -> None:
    tags, until = request._page_cache
    if callable(until):
        until = until()
    timeout = _max_age()
    if until is not None:
        timeout = min(timeout, (until - timezone.now()).total_seconds())
    if timeout < 1:
        return
    content, forms = CSRF_FIELD.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    if forms != response.content.count(b"csrfmiddlewaretoken"):
        return  # a token somewhere we do not recognise: do not share it
    headers = [
        (name, response[name]) for name in ("Content-Type", "Content-Language") if name in response
    ]
    entry = {
        "started": started,
        "until": until,
        "tags": sorted(tags),
        "status": response.status_code,
        "headers": headers,
        "content": content,
    }
    backend = _backend()
    # A tag nobody changed yet: say it changed just before this render began.
    for tag in tags:
        backend.add(_tag_key(tag), started - 2 * _skew() - 1, timeout=None)
    if not _fresh({**entry, "until": None}):
        return  # changed while it rendered: the next reader renders again
    backend.set(_entry_key(request), entry, timeout=int(timeout))


class AnonymousPageCacheMiddleware:
    """Innermost middleware: sessions, languages, CSRF, messages and CSP run on a hit too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = _eligible(request)
        if eligible and _retry_unwritten():
            entry = _backend().get(_entry_key(request))
            if entry is not None and _fresh(entry):
                return _from_entry(request, entry)
        started = time.time()
        token = _personal.set(False)
        try:
            response = self.get_response(request)
            if (
                eligible
                and getattr(request, "_page_cache", None) is not None
                and not _unwritten
                and _storable(request, response)
            ):
                _store(request, response, started)
                response.setdefault("X-Page-Cache", "miss")
        finally:
            _personal.reset(token)
        return response


class CachedPage:
    """For Wagtail page classes: GET answers for anonymous visitors come from the cache.

    The page is tagged "page:<id>" (its own publishing and its children's clear it) plus
    `page_cache_tags()`; `page_cache_until()` is when its state next changes by itself.
    `page_cache_changed_tags(page)` names what else to clear when such a page is published.
    """

    def page_cache_tags(self) -> list[str]:
        return []

    def page_cache_until(self) -> datetime | None:
        return None

    @staticmethod
    def page_cache_changed_tags(page) -> list[str]:
        return []

    def get_view_restrictions(self):
        # Asked twice for one request: by Wagtail's privacy check before serving, and by the
        # visibility policy while rendering (consultations.rules.can_view_page). The same
        # queryset is handed out, so its rows are read once; a chained one (.order_by) reads
        # afresh.
        restrictions = self.__dict__.get("_view_restrictions")
        if restrictions is None:
            restrictions = self._view_restrictions = self._cached_view_restrictions()
        return restrictions

    def _cached_view_restrictions(self):
        """Wagtail's answer (two queries: the ancestors, then their restrictions), kept in the
        cache per page under SITE, which any restriction saved or deleted and any move change
        (page_cache_events), and the page's own tag. The queryset handed out holds the rows;
        a chained one (the admin's `.order_by`) reads the same restrictions afresh."""
        if self.pk is None:
            return super().get_view_restrictions()
        rows = cached_under_tags(
            f"page-cache:view-restrictions:{KEY_VERSION}:{self.pk}",
            [SITE, f"page:{self.pk}"],
            lambda: list(super(CachedPage, self).get_view_restrictions()),
            VIEW_RESTRICTIONS_SECONDS,
        )
        return self._view_restrictions_of(rows)

    @staticmethod
    def _view_restrictions_of(rows):
        from wagtail.models import PageViewRestriction

        queryset = PageViewRestriction.objects.filter(page_id__in={r.page_id for r in rows})
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        return queryset

    def view_restriction_rows(self) -> list:
        """The rows `get_view_restrictions` hands out, for core.page_routes to keep with the
        page's route (whose tags include this cache's: SITE and the page's own)."""
        return list(self.get_view_restrictions())

    def use_view_restriction_rows(self, rows) -> None:
        """This request's answer to `get_view_restrictions`, read with the page's route."""
        self._view_restrictions = self._view_restrictions_of(rows)

    def __getstate__(self):
        # The rows above belong to one request: a page kept in a cache must not carry them.
        state = super().__getstate__()
        state.pop("_view_restrictions", None)
        return state

    def serve(self, request, *args, **kwargs):
        # Only a reader who may get the cached copy: the tags cost queries on some pages.
        if _eligible(request) and not getattr(request, "is_preview", False):
            cache_this_page(
                request,
                tags=[f"page:{self.pk}", *self.page_cache_tags()],
                until=self.page_cache_until,
            )
        return super().serve(request, *args, **kwargs)
