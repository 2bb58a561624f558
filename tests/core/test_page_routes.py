"""Pages are found by their url_path in one lookup (core.page_routes): the same page Wagtail's
walk down the tree finds, and no more queries however deep the page."""

import pytest
from django.core.cache import cache
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


# --- the route cache (core.page_routes.route_for_request) ------------------------------------


def _served(client, url, **headers):
    get = client if callable(client) else client.get
    response = get(url, **headers)
    page = response.context["page"] if response.status_code == 200 else None
    return response.status_code, page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def reader(client):
    from tests.accounts.factories import make_user

    client.force_login(make_user())  # signed in: rendered each time, not from the page cache
    return client


def test_a_page_found_again_costs_four_queries_less(reader, demo):
    from core.demo_pages import demo_page_urls

    url = demo_page_urls()["lesson"]
    reader.get(url)  # the route and the page's other cached facts kept
    from_the_cache = _count(reader, url)
    cache.delete(_route_key_of(url))
    # Wagtail's walk: the site, the home page, the locale, the route (id and type).
    assert _count(reader, url) == from_the_cache + 4
    status, page = _served(reader, url)
    assert status == 200 and page.url == url


def _route_key_of(url):
    from django.utils import translation

    from core.page_routes import _route_key

    language, path = url.strip("/").split("/", 1)
    with translation.override(language):
        return _route_key(RequestFactory().get(url), path + "/")


def test_an_unpublished_page_is_not_served_from_its_cached_route(reader, demo):
    from core.demo_pages import demo_page_urls

    url = demo_page_urls()["lesson"]
    status, page = _served(reader, url)
    assert status == 200
    _served(reader, url)
    page.unpublish()
    assert _served(reader, url)[0] == 404
    page.save_revision().publish()
    assert _served(reader, url)[0] == 200


def test_a_renamed_page_is_found_at_its_new_path_only(reader, demo):
    from core.demo_pages import demo_page_urls

    url = demo_page_urls()["module"]
    status, page = _served(reader, url)
    assert status == 200
    _served(reader, url)
    page.slug = "renamed-module"
    page.save_revision().publish()
    assert _served(reader, url)[0] == 404
    page.refresh_from_db()
    new_url = page.get_url()
    assert new_url != url and _served(reader, new_url)[1].pk == page.pk


def test_a_translation_published_where_the_default_language_answered_takes_over(reader, demo):
    from wagtail.models import Locale

    from consultations.models import ConsultationPage

    french = Locale.objects.get(language_code="fr")
    english_only = next(
        p
        for p in ConsultationPage.objects.live().filter(locale__language_code="en")
        if p.get_translation_or_none(french) is None
        and p.get_parent().get_translation_or_none(french) is not None
    )
    url = "/fr/" + english_only.get_url().split("/", 2)[2]
    status, page = _served(reader, url)
    assert status == 200 and page.pk == english_only.pk
    _served(reader, url)  # from the cached route
    translation = english_only.copy_for_translation(french)
    translation.save_revision().publish()
    status, page = _served(reader, url)
    assert status == 200 and page.pk == translation.pk


def test_a_site_added_for_a_host_answers_it_at_once(reader, demo):
    from wagtail.models import Site

    from courses.models import CourseIndexPage

    # "127.0.0.1" is answered by the default site (the home page) until it has its own.
    assert _served(reader.get, "/en/", HTTP_HOST="127.0.0.1")[1].specific_class.__name__ == (
        "HomePage"
    )
    _served(reader.get, "/en/", HTTP_HOST="127.0.0.1")  # from the cached route
    index = CourseIndexPage.objects.get(locale__language_code="en")
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=index, site_name="Courses")
    assert _served(reader.get, "/en/", HTTP_HOST="127.0.0.1")[1].pk == index.pk


def test_a_route_is_kept_per_host_and_language(demo):
    from core.page_routes import _route_key

    factory = RequestFactory()
    en = _route_key(factory.get("/en/courses/"), "courses/")
    other_host = _route_key(factory.get("/en/courses/", HTTP_HOST="other.example"), "courses/")
    from django.utils import translation

    with translation.override("fr"):
        fr = _route_key(factory.get("/fr/courses/"), "courses/")
    assert len({en, other_host, fr}) == 3


def test_a_pages_privacy_rows_come_with_its_route_and_a_new_restriction_applies_at_once(
    reader, demo
):
    from wagtail.models import PageViewRestriction

    from core.demo_pages import demo_page_urls

    url = demo_page_urls()["lesson"]
    status, page = _served(reader, url)
    assert status == 200
    with CaptureQueriesContext(connection) as queries:
        assert _served(reader, url)[0] == 200
    # Neither Wagtail's privacy check nor the visibility policy reads the restrictions.
    assert not [q for q in queries if "pageviewrestriction" in q["sql"].lower()]
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = reader.get(url)
    assert page.title not in response.content.decode() or response.status_code != 200
    assert "password" in response.content.decode().lower()
    PageViewRestriction.objects.filter(page=page).delete()
    assert _served(reader, url)[0] == 200
