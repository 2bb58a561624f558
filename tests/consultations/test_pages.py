"""The consultation pages: facts, states, sections with stable anchors, the index with its
filters, the identifier check, times in UTC and local time, and query budgets."""

import re
from datetime import UTC, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import ConsultationPage
from consultations.selectors import consultations_for_home, nav_link

from .factories import (
    commenter,
    index_page,
    make_consultation,
    published_comment,
    section_key,
    translate,
)

pytestmark = pytest.mark.django_db


def test_page_shows_the_decision_lmo_and_numbered_sections_with_anchors(client, consultation):
    html = client.get(consultation.url).content.decode()
    assert "LMO for direct use as food or feed, or for processing (Art. 11)" in html
    assert "MON-89Ø34-3" in html and "National Biosafety Authority" in html
    for number in ("1", "2", "3"):
        assert f'id="section-{number}"' in html
    assert 'href="#section-2"' in html


def test_times_are_in_utc_with_a_machine_readable_datetime_for_local_time(client, consultation):
    html = client.get(consultation.url).content.decode()
    closes = consultation.closes_at.astimezone(UTC)
    match = re.search(r'<time datetime="([^"]+)" data-local-time[^>]*>([^<]+) UTC</time>', html)
    assert match
    assert closes.strftime("%Y-%m-%dT%H:%M") in html
    assert "localtime.js" in html


def test_state_follows_the_clock_and_the_outcome(home):
    page = make_consultation(home, state="open")
    assert page.state == "open"
    assert page.state_at(page.opens_at - timedelta(seconds=1)) == "upcoming"
    assert page.state_at(page.closes_at) == "closed"
    assert make_consultation(home, state="outcome").state == "outcome"


def test_invalid_unique_identifier_is_refused_with_the_core_message(home):
    page = make_consultation(home)
    page.lmo_identifier = "MON-89Ø34-4"
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "check digit is 4, but the rule gives 3" in str(excinfo.value)


def test_identifier_is_stored_as_registered(home):
    page = make_consultation(home)
    page.lmo_identifier = "mon-89034-3"
    page.full_clean()
    assert page.lmo_identifier == "MON-89Ø34-3"


def test_registered_exception_is_accepted(home):
    page = make_consultation(home)
    page.lmo_identifier = "SYN-ØØØJG-2"
    page.full_clean()


@pytest.mark.parametrize("identifier", ["ACS-OSØØ1-4", "acs-os001-4", "BCS-OSØØ3-7"])
def test_registered_rice_events_are_accepted_and_stored_as_registered(home, identifier):
    """Rice events use "OS" (Oryza sativa): the letter O is not a mistyped zero."""
    page = make_consultation(home)
    page.lmo_identifier = identifier
    page.full_clean()
    assert page.lmo_identifier == identifier.upper().replace("0", "Ø")


def test_period_must_close_after_it_opens_and_numbers_be_unique(home):
    page = make_consultation(home)
    page.closes_at = page.opens_at
    with pytest.raises(ValidationError, match="close after it opens"):
        page.full_clean()


def test_sections_keep_their_ids_in_translations(home):
    page = make_consultation(home)
    chinese = translate(page)
    assert [s["key"] for s in chinese.section_list] == [s["key"] for s in page.section_list]
    assert chinese.canonical.pk == page.pk


def test_index_lists_open_ones_by_nearest_deadline_then_upcoming_then_closed(client, home):
    now = timezone.now()
    late = make_consultation(home, title="Open late", closes_at=now + timedelta(days=40))
    soon = make_consultation(home, title="Open soon", closes_at=now + timedelta(days=3))
    upcoming = make_consultation(home, state="upcoming", title="Not yet")
    closed = make_consultation(home, state="closed", title="Done")
    html = client.get(index_page(home).url).content.decode()
    order = [html.index(p.title) for p in (soon, late, upcoming, closed)]
    assert order == sorted(order)


def test_index_filters_by_state_and_type(client, home):
    make_consultation(home, title="Maize open", decision_type="art11")
    make_consultation(home, title="Law open", decision_type="law")
    make_consultation(home, state="closed", title="Maize closed", decision_type="art11")
    url = index_page(home).url
    html = client.get(url, {"state": "open", "type": "art11"}).content.decode()
    assert "Maize open" in html and "Law open" not in html and "Maize closed" not in html
    html = client.get(url, {"state": "closed"}).content.decode()
    assert "Maize closed" in html and "Maize open" not in html


@pytest.mark.parametrize("params", [{"state": "<script>"}, {"type": "x" * 500}, {"page": "-1"}])
def test_bad_filter_values_are_reported_not_fatal(client, home, params):
    make_consultation(home, title="Still listed")
    response = client.get(index_page(home).url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Still listed" in html
    assert "<script>" not in html.split("<main")[1]


def test_home_and_nav_show_open_consultations(client, home):
    page = make_consultation(home, title="Open maize")
    make_consultation(home, state="closed", title="Closed one")
    items = consultations_for_home()
    assert [i.title for i in items] == ["Open maize"]
    assert items[0].url == page.url and "UTC" in items[0].note
    label, url = nav_link()
    assert url == index_page(home).url
    html = client.get("/en/").content.decode()
    assert "Open maize" in html and "Closed one" not in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_consultation_page_query_count_does_not_grow_with_comments(
    client, home, officer_user, settings
):
    # Facts kept under the page's cache tags (the outcome, the claims) are not kept when read
    # within PAGE_CACHE_CLOCK_SKEW of a write: both counts are taken warm.
    settings.PAGE_CACHE_CLOCK_SKEW = 0
    page = make_consultation(home)
    author = commenter()
    client.force_login(author)
    for _ in range(3):
        published_comment(page, author, officer_user, section_key=section_key(page, "2"))
    client.get(page.url)  # warm caches (nav link, locale)
    few = _queries(client, page.url)
    for n in range(27):
        published_comment(
            page, commenter(), officer_user, section_key=section_key(page, str(n % 3 + 1))
        )
    client.get(page.url)  # warm again: the comments changed the consultation's tag
    assert _queries(client, page.url) == few


def test_index_query_count_does_not_grow_with_consultations(client, home, settings):
    # The cost of rendering it (the page cache serves anonymous repeats without a query:
    # tests/core/test_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    # Privacy rows kept in the cache are not kept when read within PAGE_CACHE_CLOCK_SKEW of a
    # publish: both counts are taken warm.
    settings.PAGE_CACHE_CLOCK_SKEW = 0
    for _ in range(3):
        make_consultation(home)
    url = index_page(home).url
    client.get(url)
    few = _queries(client, url)
    for _ in range(9):
        make_consultation(home)
    client.get(url)  # warm again: the publishes changed the index's tag
    assert _queries(client, url) == few


def test_officer_screen_query_count_does_not_grow(client, home, officer_user):
    from consultations.services import comment_submit  # noqa: F401

    page = make_consultation(home)
    client.force_login(officer_user)
    from .factories import submit

    for _ in range(3):
        submit(page, commenter())
    url = f"/en/consultations/{page.pk}/manage/"
    client.get(url)
    few = _queries(client, url)
    for _ in range(12):
        submit(page, commenter())
    assert _queries(client, url) == few


def test_home_selector_is_cheap(home, django_assert_max_num_queries):
    for _ in range(3):
        make_consultation(home)
    consultations_for_home()  # Wagtail caches the site's root paths site-wide
    with django_assert_max_num_queries(2):
        consultations_for_home()


def test_nav_link_is_cached(home, django_assert_num_queries):
    make_consultation(home)
    nav_link()
    with django_assert_num_queries(0):
        nav_link()


def test_demo_loads_twice_without_creating_anything_new(demo):
    from consultations.models import Comment
    from core.demo import demo_load

    pages, comments = ConsultationPage.objects.count(), Comment.objects.count()
    again = demo_load()
    assert again["consultation_comments"] == 0
    assert (ConsultationPage.objects.count(), Comment.objects.count()) == (pages, comments)
    # three consultations in English and Chinese; two of them also in the other four languages
    assert pages == 3 * 2 + 2 * 4
    states = {p.state for p in ConsultationPage.objects.all()}
    assert states == {"open", "outcome", "upcoming"}
    statuses = set(Comment.objects.values_list("moderation_status", flat=True))
    assert statuses == {"published", "pending", "rejected", "hidden"}
    assert Comment.objects.filter(confidential=True).exists()
    # The risk assessment summary is attached, as a real PDF, once.
    from wagtail.documents import get_document_model

    assert get_document_model().objects.count() == 1
    maize = ConsultationPage.objects.get(slug="maize-mon-89034-3-ffp", locale__language_code="en")
    assert [b.value["document"].title for b in maize.documents] == [
        "Summary of the risk assessment: maize MON-89Ø34-3 (demonstration)"
    ]


def test_preview_of_a_new_page_renders_without_comments(home, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    page = ConsultationPage(
        title="Unsaved",
        slug="unsaved",
        decision_type="art11",
        authority="NBA",
        summary="<p>x</p>",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1),
        locale=home.locale,
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    context = page.get_context(request)
    assert context["public_count"] == 0 and context["outcome"] is None
    render_to_string(page.get_template(request), context, request=request)


def test_open_page_says_how_long_is_left(client, consultation):
    html = client.get(consultation.url).content.decode()
    assert "Closes in 4\xa0weeks" in html or "Closes in 4 weeks" in html


def test_statistics_query_count_does_not_grow(client, home, officer_user):
    page = make_consultation(home)
    for _ in range(3):
        published_comment(page, commenter(), officer_user)
    url = f"/en/consultations/{page.pk}/statistics/"
    client.get(url)
    few = _queries(client, url)
    for n in range(12):
        published_comment(
            page,
            commenter(country=["KE", "CN", "BR"][n % 3]),
            officer_user,
            section_key=section_key(page, str(n % 3 + 1)),
        )
    assert _queries(client, url) == few
