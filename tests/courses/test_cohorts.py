"""Cohorts: facilitators create them and see only their own; learners join by code."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from courses.models import Cohort, CohortMembership, Enrolment
from courses.services import cohort_create
from tests.accounts.factories import make_user

from .helpers import BASE, complete_everything


def test_facilitator_creates_a_cohort_with_a_join_code(client, course, facilitator):
    client.force_login(facilitator)
    response = client.post(
        "/en/courses/cohorts/",
        {
            "name": "Training of trainers — Asia",
            "course": str(course.pk),
            "description": "",
        },
    )
    cohort = Cohort.objects.get()
    assert response["Location"] == f"/en/courses/cohorts/{cohort.pk}/"
    assert len(cohort.join_code) == 8 and cohort.facilitator == facilitator
    assert cohort.join_code in client.get(response["Location"]).content.decode()


def test_cohort_form_rejects_a_forged_course_and_an_empty_name(client, course, facilitator):
    client.force_login(facilitator)
    response = client.post("/en/courses/cohorts/", {"name": "", "course": "999999"})
    assert response.status_code == 400 and Cohort.objects.count() == 0


def test_people_who_are_not_facilitators_cannot_create_cohorts(client, course, learner):
    client.force_login(learner)
    assert client.get("/en/courses/cohorts/").status_code == 403
    client.post("/en/courses/cohorts/", {"name": "X", "course": str(course.pk)})
    assert Cohort.objects.count() == 0
    client.logout()
    assert client.get("/en/courses/cohorts/").status_code == 302  # to sign in


def test_a_facilitator_sees_only_their_own_cohorts(client, course, facilitator):
    other = make_user(roles=[Role.FACILITATORS])
    theirs = cohort_create(facilitator=other, name="Theirs", course=course)
    mine = cohort_create(facilitator=facilitator, name="Mine", course=course)
    client.force_login(facilitator)
    listing = client.get("/en/courses/cohorts/").content.decode()
    assert "Mine" in listing and "Theirs" not in listing
    for path in ("", "export.csv"):
        assert client.get(f"/en/courses/cohorts/{theirs.pk}/{path}").status_code == 404
    assert client.post(f"/en/courses/cohorts/{theirs.pk}/open/", {"open": "0"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open
    assert client.get(f"/en/courses/cohorts/{mine.pk}/").status_code == 200


def test_joining_by_code_enrols_once_and_ignores_case_and_spaces(
    client, course, facilitator, learner
):
    cohort = cohort_create(facilitator=facilitator, name="Asia", course=course)
    client.force_login(learner)
    typed = " " + cohort.join_code.lower()[:4] + " " + cohort.join_code.lower()[4:]
    response = client.post("/en/courses/join-cohort/", {"code": typed})
    assert response["Location"] == f"{BASE}/"
    client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
    assert CohortMembership.objects.filter(cohort=cohort, user=learner).count() == 1
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.cohort == cohort


def test_unknown_or_closed_codes_are_explained(client, course, facilitator, learner):
    cohort = cohort_create(facilitator=facilitator, name="Asia", course=course)
    client.force_login(facilitator)
    client.post(f"/en/courses/cohorts/{cohort.pk}/open/", {"open": "0"})
    client.force_login(learner)
    closed = client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
    unknown = client.post("/en/courses/join-cohort/", {"code": "<b>NOPE</b>" * 10})
    assert closed.status_code == 400 and "closed for joining" in closed.content.decode()
    assert unknown.status_code == 400
    assert (
        "No cohort has this join code" in unknown.content.decode()
        or "at most" in unknown.content.decode()
    )
    assert CohortMembership.objects.count() == 0 and Enrolment.objects.count() == 0


def test_anonymous_join_is_sent_to_sign_in(client, course, facilitator):
    cohort = cohort_create(facilitator=facilitator, name="Asia", course=course)
    response = client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/en/courses/join-cohort/?code={cohort.join_code}").status_code == 200


def test_dashboard_shows_progress_scores_and_who_has_stalled(client, course, facilitator):
    cohort = cohort_create(facilitator=facilitator, name="Asia", course=course)
    done = make_user(display_name="Done Learner")
    idle = make_user(display_name="Idle Learner", organisation="=cmd|' /C calc'!A0")
    for user in (done, idle):
        client.force_login(user)
        client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
    client.force_login(done)
    complete_everything(client, done)
    long_ago = timezone.now() - timedelta(days=30)
    Enrolment.objects.filter(user=idle).update(last_activity_at=long_ago)

    client.force_login(facilitator)
    html = client.get(f"/en/courses/cohorts/{cohort.pk}/").content.decode()
    assert "2 participants · 1 completed · 1 stalled" in html
    assert "Basics" in html and "Documents" in html and "100%" in html

    export = client.get(f"/en/courses/cohorts/{cohort.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Participant", "Organisation", "Country"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Done Learner"][-2:] == ["yes", "no"]
    assert by_name["Idle Learner"][-1] == "yes"
    assert by_name["Idle Learner"][1].startswith("'=")  # no formula runs in a spreadsheet
    assert by_name["Done Learner"][7] == "3/3"  # quiz, identifier exercise, document check


def test_guessing_join_codes_is_slowed_down(client, course, facilitator, learner):
    from courses.views.learning import JOIN_RATE

    cohort = cohort_create(facilitator=facilitator, name="Asia", course=course)
    client.force_login(learner)
    for i in range(JOIN_RATE.count):
        client.post("/en/courses/join-cohort/", {"code": f"WRONG{i:03d}"})
    response = client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
    assert "Too many tries" in response.content.decode()
    assert CohortMembership.objects.count() == 0


def test_absurd_cohort_ids_are_not_found(client, course, facilitator):
    client.force_login(facilitator)
    for pk in ("99999999999999999999999", "0"):
        assert client.get(f"/en/courses/cohorts/{pk}/").status_code == 404
        assert client.get(f"/en/courses/cohorts/{pk}/export.csv").status_code == 404
