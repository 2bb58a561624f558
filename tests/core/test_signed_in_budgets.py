"""Signed-in pages stay within 12 queries (issue 16): every area's pages on the demo content,
for a participant enrolled in the demo course with some progress, and the facilitator's cohort
dashboard. Anonymous readers get these pages from the page cache; signed-in ones are rendered
each time, so this is what a workshop of learners costs the database. That counts do not grow
with content is tested per area (tests/courses/test_query_budgets.py and the forums' and
consultations' budget tests)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.demo_pages import demo_page_urls
from courses.models import Cohort

BUDGET = 12


@pytest.fixture(autouse=True)
def _no_clock_skew(settings):
    # A page read within PAGE_CACHE_CLOCK_SKEW of the test's own writes is not kept in the
    # cache (courses.learner_cache); the counts would depend on the machine's speed.
    settings.PAGE_CACHE_CLOCK_SKEW = 0


def _count(client, url) -> int:
    client.get(url)  # warm: the outline, the learner's state, the header's links
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_signed_in_page_stays_within_twelve_queries(client, demo):
    participant = User.objects.get(email="participant@example.org")
    client.force_login(participant)
    urls = demo_page_urls(signed_in=True)
    client.post(urls["course"], {"action": "enrol"})
    client.post(urls["lesson"], {"action": "complete"})
    counts = {page: _count(client, url) for page, url in urls.items()}
    over = {page: n for page, n in counts.items() if n > BUDGET}
    assert not over, counts


def test_cohort_dashboard_stays_within_twelve_queries(client, demo):
    cohort = Cohort.objects.order_by("pk").first()
    client.force_login(cohort.facilitator)
    assert _count(client, f"/en/courses/cohorts/{cohort.pk}/") <= BUDGET
