"""Every write of the courses app. Views parse input and call one of these.

Each function is keyword-only, validates, and writes inside a transaction; those that can be
called twice for the same thing (enrol, join, complete, issue) are idempotent.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.names import own_name
from core.sanitize import clean_text

from . import rules
from .learner_cache import activity_changed, learner_changed, learner_visited
from .models import (
    AssessmentAttempt,
    Certificate,
    Cohort,
    CohortMembership,
    Enrolment,
    LessonCompletion,
)
from .models.certificates import HOLDER_NAME_MAX
from .progress import course_outline, learner_progress


def enrolment_create(*, user, course, cohort=None) -> tuple[Enrolment, bool]:
    """Enrol `user` in `course` (any translation of it). Enrolling twice changes nothing and
    says so (`created` is False)."""
    if not rules.can_enrol(user):
        raise PermissionDenied(_("Sign in with a verified e-mail address to enrol."))
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            user=user,
            course_key=course.translation_key,
            defaults={"cohort": cohort, "last_activity_at": timezone.now()},
        )
        if not created and cohort is not None and enrolment.cohort_id is None:
            enrolment.cohort = cohort
            enrolment.save(update_fields=["cohort"])
    return enrolment, created


def cohort_create(*, facilitator, name: str, course, description: str = "") -> Cohort:
    if not rules.can_create_cohort(facilitator):
        raise PermissionDenied(_("Only facilitators create cohorts."))
    cohort = Cohort(
        name=name.strip(),
        description=description.strip(),
        course_key=course.translation_key,
        facilitator=facilitator,
    )
    cohort.full_clean()
    with transaction.atomic():
        cohort.save()
    return cohort


def cohort_set_open(*, actor, cohort: Cohort, is_open: bool) -> Cohort:
    if not rules.can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("This is not one of your cohorts."))
    cohort.is_open = is_open
    cohort.save(update_fields=["is_open"])
    return cohort


def cohort_join(*, user, code: str, course) -> tuple[CohortMembership, bool]:
    """Join the cohort whose join code is `code` (case and spaces ignored), and enrol in its
    course. `course` is that course's page in the reader's language (resolved by the view)."""
    cohort = Cohort.objects.filter(join_code=normalise_join_code(code)).first()
    if cohort is None:
        raise ValidationError(_("No cohort has this join code. Check it with your facilitator."))
    if not cohort.is_open:
        raise ValidationError(_("This cohort is closed for joining. Ask your facilitator."))
    if not rules.can_join_cohort(user, cohort):
        raise PermissionDenied(_("Sign in with a verified e-mail address to join a cohort."))
    with transaction.atomic():
        membership, created = CohortMembership.objects.get_or_create(cohort=cohort, user=user)
        enrolment_create(user=user, course=course, cohort=cohort)
    return membership, created


def normalise_join_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:12]


VISIT_REFRESH = timedelta(minutes=5)


def lesson_visit(*, enrolment: Enrolment | None, lesson) -> bool:
    """Remember the lesson for "resume" (one UPDATE, only for enrolled learners). Rereading
    the same lesson within a few minutes writes nothing: page views stay reads."""
    if enrolment is None:
        return False
    now = timezone.now()
    if (
        enrolment.last_lesson_key == lesson.translation_key
        and enrolment.last_activity_at
        and now - enrolment.last_activity_at < VISIT_REFRESH
    ):
        return False
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson_key=lesson.translation_key, last_activity_at=now
    )
    # A bulk update sends no signal: the course page's "resume" must show this lesson, the
    # cohort's report the activity.
    learner_visited(enrolment, lesson.translation_key, now)
    activity_changed(enrolment.course_key)
    return True


def _complete(*, user, course, lesson, how) -> bool:
    _obj, created = LessonCompletion.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"course_key": course.translation_key, "how": how},
    )
    Enrolment.objects.filter(user=user, course_key=course.translation_key).update(
        last_activity_at=timezone.now()
    )
    activity_changed(course.translation_key)
    return created


def lesson_mark_complete(*, user, enrolment, course, lesson) -> bool:
    """Mark a lesson without assessments complete. Lessons with assessments complete only by
    passing them. Returns False when it was complete already."""
    if enrolment is None:
        raise PermissionDenied(_("Enrol in the course to record your progress."))
    if not rules.can_mark_complete(user, enrolment, lesson):
        raise ValidationError(_("Pass this lesson's exercises to complete it."))
    with transaction.atomic():
        created = _complete(
            user=user, course=course, lesson=lesson, how=LessonCompletion.How.MARKED
        )
    return created


@dataclass
class Submission:
    block_id: str
    kind: str
    number: int  # the attempt number the form was shown for
    answers: dict
    results: dict
    score: int
    pass_mark: int


class AlreadySubmitted(ValidationError):
    """A second POST of the same attempt (double click, back button, second tab)."""


def attempt_submit(*, user, enrolment, course, lesson, submission: Submission) -> AssessmentAttempt:
    """Record one attempt. Its number must be the learner's next one for this block: a
    repeated or stale form is refused (AlreadySubmitted) and nothing is stored. When the
    attempt passes and every assessment of the lesson has a pass, the lesson completes."""
    if not rules.can_take_assessment(user, enrolment):
        raise PermissionDenied(_("Enrol in the course to have your answers recorded."))
    block_ids = [a["id"] for a in lesson.assessments]
    if submission.block_id not in block_ids:
        raise ValidationError(_("This exercise is not part of the lesson."))
    try:
        with transaction.atomic():
            # Locking the enrolment serialises one learner's submissions.
            Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
            previous = AssessmentAttempt.objects.filter(
                user=user, lesson_key=lesson.translation_key, block_id=submission.block_id
            ).count()
            if submission.number != previous + 1:
                raise AlreadySubmitted(
                    _("These answers were already submitted; your result is below.")
                )
            attempt = AssessmentAttempt(
                user=user,
                course_key=course.translation_key,
                lesson_key=lesson.translation_key,
                block_id=submission.block_id,
                kind=submission.kind,
                number=submission.number,
                answers=submission.answers,
                results=submission.results,
                score=submission.score,
                pass_mark=submission.pass_mark,
                passed=submission.score >= submission.pass_mark,
                language=(get_language() or "")[:10],
            )
            attempt.full_clean()
            attempt.save()
            if attempt.passed:
                passed = set(
                    AssessmentAttempt.objects.passed()
                    .filter(user=user, lesson_key=lesson.translation_key, block_id__in=block_ids)
                    .values_list("block_id", flat=True)
                )
                if passed >= set(block_ids):
                    _complete(
                        user=user, course=course, lesson=lesson, how=LessonCompletion.How.ASSESSED
                    )
            else:
                Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=timezone.now())
                activity_changed(enrolment.course_key)
    except IntegrityError as exc:
        # Two tabs submitting attempt n at the same moment: the unique constraint decides.
        raise AlreadySubmitted(
            _("These answers were already submitted; your result is below.")
        ) from exc
    return attempt


def _holder_name(typed: str | None, user) -> str:
    """The name to print: what the learner typed, else their profile's display name; never
    the e-mail address (accounts/names.py). "" when there is neither."""
    return clean_text(typed or "")[:HOLDER_NAME_MAX] or clean_text(own_name(user))[:HOLDER_NAME_MAX]


def _name_required() -> ValidationError:
    return ValidationError(
        _("Please enter the name to print on your certificate."), code="name_required"
    )


def certificate_issue(*, user, course, holder_name: str | None = None) -> tuple[Certificate, bool]:
    """Issue the certificate for `course`, after recomputing eligibility from the records:
    every required lesson complete and every assessment passed. Asking again returns the
    certificate already issued for this course version. It is printed with `holder_name`
    (as typed on the course page) or else the profile's display name; with neither, nothing
    is issued and the learner is asked for the name."""
    enrolment = Enrolment.objects.for_user(user).in_course(course.translation_key).first()
    if enrolment is None:
        raise PermissionDenied(_("Enrol in the course first."))
    progress = learner_progress(user, course_outline(course))
    if not progress.certificate_eligible:
        raise ValidationError(
            _(
                "The certificate is issued when every required lesson is complete and every "
                "assessment passed. %(lessons)s lesson(s) and %(assessments)s assessment(s) "
                "remain."
            )
            % {
                "lessons": len(progress.missing_lessons),
                "assessments": len(progress.unpassed_assessments),
            }
        )
    with transaction.atomic():
        existing = Certificate.objects.filter(
            user=user, course_key=course.translation_key, course_version=course.version
        ).first()
        if existing is not None:
            return existing, False
        holder = _holder_name(holder_name, user)
        if not holder:
            raise _name_required()
        certificate = Certificate(
            user=user,
            course_key=course.translation_key,
            holder_name=holder,
            course_title=course.title[:255],
            course_version=course.version,
            issuer=(course.issuer or str(settings.SITE_TITLE))[:200],
            language=course.locale.language_code,
        )
        certificate.full_clean()
        certificate.save()
        if enrolment.completed_at is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    return certificate, True


def certificate_name_set(*, user, certificate: Certificate, holder_name: str) -> Certificate:
    """Give the name to print on a certificate issued without one. Once given, the name is
    part of the record (a certificate is not edited), so only a blank one is filled."""
    if not rules.can_download_certificate(user, certificate):
        raise PermissionDenied(_("Only the holder names a certificate."))
    name = clean_text(holder_name or "")[:HOLDER_NAME_MAX]
    if not name:
        raise _name_required()
    # One UPDATE that matches only a blank name: two tabs cannot both name it.
    updated = Certificate.objects.filter(pk=certificate.pk, holder_name="").update(holder_name=name)
    if not updated:
        raise ValidationError(
            _("This certificate already carries a name; it cannot be changed."),
            code="already_named",
        )
    # A bulk update sends no signal: the learner's cached certificates must carry the name.
    learner_changed(certificate.user_id, certificate.course_key)
    certificate.refresh_from_db(fields=["holder_name"])
    return certificate
