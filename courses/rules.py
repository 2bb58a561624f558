"""Who may do what in courses: named predicates, asked by views, templates and services.

Roles: anonymous, learner (active account with a verified address), facilitator, editor.
"""

from accounts.rules import can_participate, is_editor, is_facilitator


def can_enrol(user) -> bool:
    """Enrolling records learning under a name (certificates): a verified account."""
    return can_participate(user)


def can_take_assessment(user, enrolment) -> bool:
    """Attempts are recorded for enrolled learners only; others may read the questions."""
    return bool(enrolment is not None and can_participate(user) and enrolment.user_id == user.pk)


def can_mark_complete(user, enrolment, lesson) -> bool:
    """A lesson with assessments completes by passing them, never by a click."""
    return can_take_assessment(user, enrolment) and not lesson.assessments


def bypasses_sequence(user) -> bool:
    """Editors review every module of a sequential course."""
    return bool(user.is_authenticated and (user.is_superuser or is_editor(user)))


def can_create_cohort(user) -> bool:
    return bool(user.is_authenticated and user.is_active and is_facilitator(user))


def can_manage_cohort(user, cohort) -> bool:
    """A facilitator sees only their own cohorts."""
    return bool(can_create_cohort(user) and cohort.facilitator_id == user.pk)


def can_join_cohort(user, cohort) -> bool:
    return bool(can_enrol(user) and cohort.is_open)


def can_download_certificate(user, certificate) -> bool:
    """The PDF is the holder's; anyone may verify a code on the public page."""
    return bool(user.is_authenticated and certificate.user_id == user.pk)
