"""The facilitator's dashboard comes from the cache (courses.learner_cache.cached_cohort_report):
whatever a member does, a member joining or leaving, a renamed participant, a published
module title and time passing show on the facilitator's next view at once; one cohort's
report is never shown for another."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from accounts.services import profile_update
from courses.learner_cache import KEY_VERSION
from courses.models import CohortMembership, CoursePage, Enrolment, ModulePage
from courses.services import cohort_create
from tests.accounts.factories import make_user

from .helpers import BASE, lesson, quiz_post

LMO = f"{BASE}/basics/what-is-an-lmo/"


@pytest.fixture
def cohort(course, facilitator):
    return cohort_create(facilitator=facilitator, name="Asia", course=course)


def join(client, cohort, **profile):
    user = make_user(**profile)
    client.force_login(user)
    assert client.post("/en/courses/join-cohort/", {"code": cohort.join_code}).status_code == 302
    return user


def dashboard(client, cohort, facilitator) -> str:
    client.force_login(facilitator)
    response = client.get(f"/en/courses/cohorts/{cohort.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_the_report_is_read_from_the_cache(client, cohort, facilitator):
    join(client, cohort, display_name="Ana")
    dashboard(client, cohort, facilitator)
    with CaptureQueriesContext(connection) as cached:
        dashboard(client, cohort, facilitator)
    course = CoursePage.objects.get(translation_key=cohort.course_key, locale__language_code="en")
    cache.delete(f"courses:cohort-report:{KEY_VERSION}:{cohort.pk}:{course.pk}")
    with CaptureQueriesContext(connection) as built:
        dashboard(client, cohort, facilitator)
    # Members, completions, attempts and enrolments: four queries less.
    assert len(built) - len(cached) == 4


def test_a_completion_and_an_attempt_show_at_once(client, cohort, facilitator):
    member = join(client, cohort, display_name="Ana")
    assert "<td>0/3</td>" in _row(dashboard(client, cohort, facilitator), "Ana")
    client.force_login(member)
    client.post(LMO, {"action": "complete"})
    row = _row(dashboard(client, cohort, facilitator), "Ana")
    assert "<td>50%</td>" in row  # one lesson of two in the first module
    client.force_login(member)
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers))
    assert "<td>1/3</td>" in _row(dashboard(client, cohort, facilitator), "Ana")


def test_reading_a_lesson_shows_at_once_as_activity(client, cohort, facilitator):
    member = join(client, cohort, display_name="Ana")
    Enrolment.objects.filter(user=member).update(
        last_activity_at=timezone.now() - timedelta(days=30)
    )
    assert "1 stalled" in dashboard(client, cohort, facilitator)
    client.force_login(member)
    assert client.get(LMO).status_code == 200
    assert "0 stalled" in dashboard(client, cohort, facilitator)


def test_time_alone_makes_a_member_stalled(client, cohort, facilitator):
    join(client, cohort, display_name="Ana")
    assert "0 stalled" in dashboard(client, cohort, facilitator)
    later = timezone.now() + timedelta(days=15)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "1 stalled" in dashboard(client, cohort, facilitator)


def test_members_joining_and_leaving_show_at_once(client, cohort, facilitator):
    join(client, cohort, display_name="Ana")
    assert "1 participant " in dashboard(client, cohort, facilitator)
    bo = join(client, cohort, display_name="Bo")
    html = dashboard(client, cohort, facilitator)
    assert "2 participants" in html and ">Bo<" in html
    CohortMembership.objects.get(user=bo).delete()
    html = dashboard(client, cohort, facilitator)
    assert "1 participant " in html and ">Bo<" not in html


def test_a_renamed_participant_shows_at_once(client, cohort, facilitator):
    member = join(client, cohort, display_name="Ana", organisation="Customs")
    assert ">Ana<" in dashboard(client, cohort, facilitator)
    profile_update(user=member, display_name="Ana Lima", organisation="Ministry")
    html = dashboard(client, cohort, facilitator)
    assert ">Ana Lima<" in html and "Ministry" in html and "Customs" not in html


def test_a_published_module_title_shows_at_once(client, cohort, facilitator):
    join(client, cohort, display_name="Ana")
    assert "Basics" in dashboard(client, cohort, facilitator)
    module = ModulePage.objects.get(slug="basics", locale__language_code="en")
    module.title = "Foundations"
    module.save_revision().publish()
    html = dashboard(client, cohort, facilitator)
    assert "Foundations" in html and "Basics" not in html


def test_one_cohorts_report_is_never_shown_for_another(client, course, cohort, facilitator):
    join(client, cohort, display_name="Ana")
    other = cohort_create(facilitator=facilitator, name="Africa", course=course)
    join(client, other, display_name="Kofi")
    first, second = dashboard(client, cohort, facilitator), dashboard(client, other, facilitator)
    assert ">Ana<" in first and ">Kofi<" not in first
    assert ">Kofi<" in second and ">Ana<" not in second
    # And another facilitator gets no report at all, cached or not.
    stranger = make_user(roles=[Role.FACILITATORS])
    client.force_login(stranger)
    assert client.get(f"/en/courses/cohorts/{cohort.pk}/").status_code == 404
