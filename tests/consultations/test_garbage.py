"""Garbage in every consultations URL, query parameter and form field answers with a 4xx or
a page, never a 500 (issue 11, finding 12). The URL list comes from consultations/urls.py,
so a new view is swept without anyone adding it here. Run on SQLite and on PostgreSQL
(NUL bytes and out-of-range integers fail differently there)."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from consultations import urls as consultation_urls
from tests.light_client import LightClient

from .factories import commenter, make_consultation, officer, published_comment, submit

pytestmark = pytest.mark.django_db

# The largest id the routes take (18 digits: a view looks it up and finds nothing), and the
# smallest that overflows a 64-bit integer (it used to reach SQLite and fail there).
BIG_ID = 10**18 - 1
OVERFLOW_ID = 2**63
TEXT_GARBAGE = ["", "a\x00b", "x" * 70_000, "-1"]
QUERY_GARBAGE = [
    "show=%00&page=99999999999999999999999",
    "page=-1&section=%00",
    "page=abc&show=" + "x" * 5000,
    "section=%FF%FE&state=%00&type=%C0%AF",
    "page=1e309&show=hidden&show=pending",
]
FIELDS = [
    "token",
    "section",
    "body",
    "show_name",
    "confidential",
    "confidential_justification",
    "decision",
    "reason_code",
    "reason",
    "disposition",
    "response",
    "decision_date",
    "comments_taken_into_account",
    "show",
]


@pytest.fixture
def world(home, officer_user):
    page = make_consultation(home, moderation_mode="post")
    comment = published_comment(page, commenter(), officer_user)
    pending = submit(make_consultation(home), commenter())
    return {"page": page, "comment": comment, "pending": pending}


def _values(name: str, world) -> list:
    page, comment = world["page"], world["comment"]
    return {
        "page_id": [page.pk, BIG_ID, OVERFLOW_ID],
        "pk": [comment.pk, world["pending"].pk, BIG_ID, OVERFLOW_ID],
        "reference": [comment.reference, "ZZZZZZZZZZZZZZZZ-999999999", "A-0"],
        "scope": ["all", "public"],
        "fmt": ["csv", "xlsx"],
    }[name]


GROUP = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def _fill(route: str, kwargs: dict) -> str:
    """The URL of a route with these values, built by hand: reverse() would refuse values
    the route does not match, and those are exactly what is being tried."""
    filled = GROUP.sub(lambda m: str(kwargs[m.group(1) or m.group(2)]), route)
    return "/en/consultations/" + filled.lstrip("^").rstrip("$").replace("\\.", ".")


def _urls(world) -> list[tuple[str, bool]]:
    """Every consultations route, with each path parameter's good and bad values; True for
    the URLs with only real ids in them (those get every query and form garbage)."""
    found = []
    for pattern in consultation_urls.urlpatterns:
        route = str(pattern.pattern)
        names = [a or b for a, b in GROUP.findall(route)]
        combos = [{}]
        for name in names:
            combos = [{**c, name: v} for c in combos for v in _values(name, world)]
        for kwargs in combos:
            real = not {BIG_ID, OVERFLOW_ID} & set(kwargs.values())
            found.append((_fill(route, kwargs), real))
    # The Wagtail pages of the app read query parameters too (filters, pager, section).
    page = world["page"]
    return [*found, (page.url, True), (page.get_parent().url, True)]


def _forms(url: str, world) -> list[dict]:
    """Each form field with each kind of garbage, with and without the officers' prefixes."""
    pk = world["comment"].pk
    prefixes = ["", f"m{pk}-", f"r{pk}-"] if "/comments/" in url else [""]
    forms = []
    for garbage in TEXT_GARBAGE:
        for prefix in prefixes:
            data = {f"{prefix}{field}": garbage for field in FIELDS}
            data["token"] = str(uuid.uuid4()) if garbage == "" else garbage
            forms.append(data)
    return forms


def _client(role: str) -> Client:
    client = LightClient(raise_request_exception=False)
    if role == "participant":
        client.force_login(commenter())
    elif role == "officer":
        client.force_login(officer())
    return client


def test_the_sweep_reaches_every_route_with_good_values(world):
    reached = set()
    for url, _real in _urls(world):
        try:
            match = resolve(url)
        except Resolver404:
            continue
        if match.namespace == "consultations":
            reached.add(match.url_name)
    assert reached == {p.name for p in consultation_urls.urlpatterns}


@pytest.mark.parametrize("role", ["anonymous", "participant", "officer"])
def test_no_consultation_url_answers_garbage_with_a_500(world, role):
    client = _client(role)
    failures = []
    for url, real in _urls(world):
        queries, forms = (["", *QUERY_GARBAGE], _forms(url, world)) if real else ([""], [{}])
        for query in queries:
            response = client.get(f"{url}?{query}" if query else url)
            if response.status_code >= 500:
                failures.append(("GET", url, query, response.status_code))
        for data in forms:
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(("POST", url, repr(data.get("body", ""))[:20]))
        # Bytes that are not UTF-8, as a browser would never send them.
        response = client.post(
            url, b"body=%FF%FE%00&reason=%C0%AF", content_type="application/x-www-form-urlencoded"
        )
        if response.status_code >= 500:
            failures.append(("POST bytes", url, response.status_code))
    assert not failures, failures[:10]
