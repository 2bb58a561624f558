"""Who may do what, as a matrix of roles × states."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from courses import rules
from courses.models import Cohort, Enrolment
from tests.accounts.factories import make_user

ROLES = ["anonymous", "unverified", "learner", "facilitator", "other_facilitator", "editor"]


def person(role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "unverified":
        return make_user(verified=False)
    roles = {
        "facilitator": [Role.FACILITATORS],
        "other_facilitator": [Role.FACILITATORS],
        "editor": [Role.EDITORS],
    }.get(role, [])
    return make_user(roles=roles)


@pytest.fixture
def owner(db):
    return make_user(roles=[Role.FACILITATORS])


EXPECTED = {
    #                   enrol  create manage(own) join(open) join(closed) bypass_seq
    "anonymous": (False, False, False, False, False, False),
    "unverified": (False, False, False, False, False, False),
    "learner": (True, False, False, True, False, False),
    "facilitator": (True, True, True, True, False, False),
    "other_facilitator": (True, True, False, True, False, False),
    "editor": (True, False, False, True, False, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_rules_matrix(role, owner, db):
    user = person(role)
    cohort_owner = user if role == "facilitator" else owner
    open_cohort = Cohort(
        name="c",
        course_key="00000000-0000-0000-0000-000000000001",
        facilitator=cohort_owner,
        is_open=True,
    )
    closed = Cohort(
        name="c", course_key=open_cohort.course_key, facilitator=cohort_owner, is_open=False
    )
    got = (
        rules.can_enrol(user),
        rules.can_create_cohort(user),
        rules.can_manage_cohort(user, open_cohort),
        rules.can_join_cohort(user, open_cohort),
        rules.can_join_cohort(user, closed),
        rules.bypasses_sequence(user),
    )
    assert got == EXPECTED[role]


class FakeLesson:
    def __init__(self, assessments):
        self.assessments = assessments


@pytest.mark.parametrize(
    ("enrolled", "has_assessments", "expected"),
    [(True, False, True), (True, True, False), (False, False, False), (False, True, False)],
)
def test_mark_complete_needs_enrolment_and_a_lesson_without_assessments(
    db, enrolled, has_assessments, expected
):
    user = make_user()
    enrolment = (
        Enrolment(user=user, course_key="00000000-0000-0000-0000-000000000001")
        if enrolled
        else None
    )
    lesson = FakeLesson([{"id": "x", "kind": "quiz"}] if has_assessments else [])
    assert rules.can_mark_complete(user, enrolment, lesson) is expected


def test_someone_elses_enrolment_does_not_let_you_take_assessments(db):
    a, b = make_user(), make_user()
    enrolment = Enrolment(user=a, course_key="00000000-0000-0000-0000-000000000001")
    assert rules.can_take_assessment(a, enrolment)
    assert not rules.can_take_assessment(b, enrolment)


def test_only_the_holder_downloads_the_certificate_pdf(db):
    from courses.models import Certificate

    holder, other = make_user(), make_user()
    certificate = Certificate(user=holder)
    assert rules.can_download_certificate(holder, certificate)
    assert not rules.can_download_certificate(other, certificate)
    assert not rules.can_download_certificate(AnonymousUser(), certificate)
