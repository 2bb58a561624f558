"""Finding the page for a URL in one query instead of two per level of the tree.

Wagtail's `Page.route` walks down from the home page: at each level it looks the child up
by slug and then loads its specific class, so a lesson (home → courses → course → module →
lesson) costs eight queries before anything is rendered. Every signed-in page pays that (the
anonymous ones come from the page cache). The page's `url_path` (kept by Wagtail on every
save and move) is the slugs joined, so one lookup on it finds the same page.

It gives the same answer as the walk only while no page type below the home page routes its
own sub-paths (overrides `route`); tests/core/test_page_routes.py keeps that true. A path it
does not find is handed to Wagtail's walk, which raises the 404 (or serves the default
language's page, HomePage.route).
"""

import hashlib

from wagtail.models import Page

from .by_pk import by_pk


def route_below(home, path_components: list[str]):
    """The live page at `path_components` under `home`, its specific instance, or None."""
    if not path_components:
        return None
    url_path = home.url_path + "/".join(path_components) + "/"
    page = (
        Page.objects.filter(url_path=url_path, path__startswith=home.path, live=True)
        .specific()
        .first()
    )
    return page


# --- the route of a URL, kept in the cache ----------------------------------------------------
#
# Even in one lookup, finding a page costs four queries before the page's own: the site for
# the host, the home page, the locale of the language, the route (the page's id and type).
# Their answer is the same for every reader until the page tree changes, so it is kept in the
# cache (the site's row, the page's id and class, its privacy rows: no content), and a hit
# costs one query: the page itself, read afresh (its content, its `live` flag: unpublished
# since is walked again).
#
# Kept as core.page_cache keeps pages: an entry is used only while none of its tags changed
# since it began reading. SITE changes with every move, rename, deletion, privacy change and
# site or locale change; `page:<home>` (the home page of the request's language) with every
# publish and unpublish below it, so a translation published at a path the default
# language's page answered until then takes over at once.

ROUTE_SECONDS = 600
ROUTE_KEY_VERSION = "3"


def _route_key(request, path: str) -> str:
    from django.http.request import split_domain_port
    from django.utils.translation import get_language

    # What Wagtail's routing depends on: the host and port (the site), the language (the home
    # page), the path. Hashed: a path can be longer than a cache key may be.
    hostname = split_domain_port(request._get_raw_host())[0]
    raw = "\x00".join((hostname, str(request.get_port()), get_language() or "", path))
    return f"core:route:{ROUTE_KEY_VERSION}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _site_fields(site) -> dict:
    return {f.attname: getattr(site, f.attname) for f in site._meta.concrete_fields}


def _from_entry(entry):
    """The site and the live page of a cached route, or None when the page is no longer live
    or gone."""
    from django.apps import apps
    from wagtail.models import Site

    # Its SQL compiled once (by_pk): every signed-in page view reads its page this way.
    page = by_pk(apps.get_model(entry["model"]), entry["page"], live=True)
    if page is None:
        return None
    rows = entry.get("restrictions")
    if rows is not None and hasattr(page, "use_view_restriction_rows"):
        page.use_view_restriction_rows(rows)
    fields = entry["site"]
    return Site.from_db("default", list(fields), list(fields.values())), page


def _want_for_page(request, entry) -> None:
    """What serving the route's page to this reader will read, read with the route's tags:
    the reader's roles and admin check, and what the page's class says it reads
    (`cache_keys_ahead`, the course pages)."""
    from django.apps import apps
    from django.contrib.auth import SESSION_KEY

    from accounts.rules import access_keys

    from .read_together import want

    session = getattr(request, "session", None)
    # Only a session the request brought: asking a new one would give it a key.
    user_pk = session.get(SESSION_KEY) if getattr(session, "session_key", None) else None
    keys = access_keys(user_pk)
    ahead = getattr(apps.get_model(entry["model"]), "cache_keys_ahead", None)
    if ahead is not None:
        keys += ahead(page_pk=entry["page"], path=entry["path"], user_pk=user_pk)
    want(keys)


def route_for_request(request, path: str) -> None:
    """Find the site and page for `request` as Wagtail does (`Page.route_for_request`), through
    the cache, and leave them where Wagtail looks first (`request._wagtail_site`,
    `request._wagtail_route_for_request`)."""
    import time

    from django.core.cache import cache
    from wagtail.url_routing import RouteResult

    from .page_cache import SITE, note_tags, unchanged_since
    from .page_cache_events import page_tag

    if hasattr(request, "_wagtail_route_for_request"):
        return
    key = _route_key(request, path)
    # Read with what every signed-in page reads (core.middleware.SignedInReadsMiddleware).
    entry = cache.get(key)
    if entry is not None:
        _want_for_page(request, entry)  # read with the route's tags, next
    if entry is not None and unchanged_since(entry["tags"], entry["started"]):
        found = _from_entry(entry)
        if found is not None:
            request._wagtail_site, page = found
            request._wagtail_route_for_request = RouteResult(page)
            return
    started = time.time()
    result = Page.route_for_request(request, path)
    site = getattr(request, "_wagtail_site", None)
    home_pk = getattr(request, "_route_home_pk", None)  # HomePage.route says where it began
    if result is None or site is None or home_pk is None or result.args or result.kwargs:
        return
    page = result.page
    tags = [SITE, page_tag(home_pk), page_tag(page.pk)]
    # The page's privacy rows (core.page_cache.CachedPage), asked of every page served, kept
    # with its route: their tags (SITE, the page's own) are among the route's, and they are
    # read after `started`, so the route's check covers them.
    restrictions = page.view_restriction_rows() if hasattr(page, "view_restriction_rows") else None
    note_tags(tags, started)
    if unchanged_since(tags, started):
        cache.set(
            key,
            {
                "started": started,
                "tags": tags,
                "site": _site_fields(site),
                "page": page.pk,
                "path": page.path,
                "model": page._meta.label_lower,
                "restrictions": restrictions,
            },
            ROUTE_SECONDS,
        )


def serve(request, path):
    """Wagtail's `serve` view, the page found through the route cache."""
    from wagtail.views import serve as wagtail_serve

    route_for_request(request, path)
    return wagtail_serve(request, path)
