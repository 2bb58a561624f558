"""The learner's own pages: "My learning" and joining a cohort by code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import Rate, rate_limit_exceeded

from .. import services
from ..forms import JoinCohortForm
from ..models import AssessmentAttempt, Certificate, Cohort, Enrolment, LessonCompletion
from ..progress import progress_from
from ..selectors import courses_by_key, outlines_for

JOIN_RATE = Rate(10, 60)  # join-code tries per person per minute


@login_required
def my_learning(request):
    """Every course the learner is enrolled in, with progress, resume link and certificate.
    A fixed number of queries however many courses and lessons."""
    user = request.user
    enrolments = list(
        Enrolment.objects.for_user(user)
        .select_related("cohort")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    keys = [e.course_key for e in enrolments]
    courses = courses_by_key(keys)
    outlines = outlines_for(courses.values())
    completed, passed = {}, {}
    for course_key, lesson_key in LessonCompletion.objects.filter(
        user=user, course_key__in=keys
    ).values_list("course_key", "lesson_key"):
        completed.setdefault(course_key, set()).add(lesson_key)
    for course_key, lesson_key, block_id in (
        AssessmentAttempt.objects.passed()
        .filter(user=user, course_key__in=keys)
        .values_list("course_key", "lesson_key", "block_id")
    ):
        passed.setdefault(course_key, set()).add((lesson_key, block_id))
    certificates = {c.course_key: c for c in Certificate.objects.filter(user=user)}
    rows = []
    for enrolment in enrolments:
        course = courses.get(enrolment.course_key)
        if course is None:
            continue  # the course was unpublished
        outline = outlines[course.pk]
        progress = progress_from(
            outline,
            completed=completed.get(course.translation_key, set()),
            passed=passed.get(course.translation_key, set()),
            sequential=course.sequential,
        )
        resume = outline.lesson(enrolment.last_lesson_key) if enrolment.last_lesson_key else None
        rows.append(
            {
                "enrolment": enrolment,
                "course": course,
                "progress": progress,
                "resume": resume or progress.next_lesson,
                "certificate": certificates.get(course.translation_key),
            }
        )
    return render(request, "courses/my_learning.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def join_cohort(request):
    """Join a workshop cohort with the code the facilitator shared (also as ?code=…)."""
    if request.method == "POST":
        form = JoinCohortForm(request.POST)
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid() and rate_limit_exceeded(
            scope="courses:join", key=request.user.pk, rate=JOIN_RATE
        ):
            # Join codes are short: a ceiling on guesses keeps them unguessable.
            form.add_error(
                "code", _("Too many tries in a short time. Wait a minute and try again.")
            )
        elif form.is_valid():
            code = form.cleaned_data["code"]
            cohort = Cohort.objects.filter(join_code=services.normalise_join_code(code)).first()
            course = courses_by_key([cohort.course_key]).get(cohort.course_key) if cohort else None
            try:
                if cohort is not None and course is None:
                    raise ValidationError(_("This cohort's course is not published."))
                _membership, created = services.cohort_join(
                    user=request.user, code=code, course=course
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("code", " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                if created:
                    messages.success(
                        request,
                        _("You joined %(cohort)s and are enrolled in the course.")
                        % {"cohort": cohort.name},
                    )
                else:
                    messages.info(
                        request, _("You are already in %(cohort)s.") % {"cohort": cohort.name}
                    )
                return redirect(course.get_url(request))
        return render(request, "courses/join.html", {"form": form}, status=400)
    form = JoinCohortForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(request, "courses/join.html", {"form": form})


def _login_url():
    from django.urls import reverse

    return reverse("account_login")
