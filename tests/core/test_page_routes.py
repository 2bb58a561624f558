"""Pages are found by their url_path in one lookup (core.page_routes): the same page Wagtail's
walk down the tree finds, and no more queries however deep the page."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, get_page_models

from core.models import HomePage
from core.page_routes import route_below


def test_no_page_type_below_the_home_page_routes_its_own_sub_paths():
    # The one-lookup route gives Wagtail's answer only while this holds (core/page_routes.py).
    own = [m.__name__ for m in get_page_models() if m.route is not Page.route and m is not HomePage]
    assert own == []


def _walk(home, components):
    """Wagtail's own route, level by level."""
    return Page.route(home, RequestFactory().get("/"), components).page


def test_every_live_page_is_found_as_wagtail_finds_it(demo):
    for home in HomePage.objects.all():
        below = Page.objects.live().descendant_of(home).specific()
        assert below, "the demo has pages"
        for page in below:
            components = page.url_path[len(home.url_path) :].strip("/").split("/")
            found = route_below(home, components)
            assert found == _walk(home, components), page.url_path
            assert type(found) is type(page)


def test_a_draft_or_missing_page_is_not_found(demo):
    home = HomePage.objects.get(locale__language_code="en")
    course = Page.objects.live().descendant_of(home).filter(depth=home.depth + 2).first()
    parts = course.url_path[len(home.url_path) :].strip("/").split("/")
    assert route_below(home, [*parts, "no-such-page"]) is None
    course.unpublish()
    assert route_below(home, parts) is None
    with pytest.raises(Http404):
        home.route(RequestFactory().get("/"), parts)


def test_a_deep_page_costs_no_more_queries_than_a_shallow_one(demo):
    home = HomePage.objects.get(locale__language_code="en")
    pages = list(Page.objects.live().descendant_of(home).order_by("depth"))
    counts = []
    for page in (pages[0], pages[-1]):
        components = page.url_path[len(home.url_path) :].strip("/").split("/")
        with CaptureQueriesContext(connection) as queries:
            route_below(home, components)
        counts.append(len(queries))
    assert pages[-1].depth >= pages[0].depth + 3
    assert counts[0] == counts[1] <= 2
