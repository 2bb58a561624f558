"""Contexts and POST handlers of the course pages (called from the page models).

A lesson page answers its own POSTs (mark complete, submit an assessment) and redirects back
(post/redirect/get); a slip (an unanswered question) renders the page again with the answers
kept. Tampered or repeated posts record nothing and say why.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.names import own_name
from core.ratelimit import Rate, rate_limit_exceeded
from core.templatetags.site_ui import fallback_lang

from .. import assessments as A
from .. import presenters as P
from .. import rules, services
from ..learner_cache import cached_learner_state, course_page_caches
from ..models import AssessmentAttempt, CoursePage, Enrolment
from ..models.certificates import HOLDER_NAME_MAX
from ..navigation import lesson_navigation
from ..outline_html import course_outline_html, url_maker
from ..progress import course_outline, learner_progress, progress_from

# Assessment submissions per learner per minute: a flood guard, above what a quick learner
# does (the browser journey passes all six modules, 40-odd submissions, within a minute).
ATTEMPT_RATE = Rate(60, 60)


def _enrolment(request, course):
    if not request.user.is_authenticated:
        return None
    return (
        Enrolment.objects.for_user(request.user)
        .in_course(course.translation_key)
        .select_related("cohort")
        .first()
    )


def course_index_context(request, index):
    courses = list(CoursePage.objects.live().public().child_of(index).order_by("path"))
    enrolled = set()
    if request.user.is_authenticated:
        enrolled = set(
            Enrolment.objects.for_user(request.user).values_list("course_key", flat=True)
        )
    return {
        "courses": courses,
        "enrolled_keys": enrolled,
        "can_run_cohorts": rules.can_create_cohort(request.user),
    }


def _course_state(request, course, outline, state):
    """The reader's progress, from the outline and their state (both from the cache:
    learner_cache), so that a course page costs the same few queries however long the
    course."""
    progress = progress_from(
        outline,
        completed=state.completed,
        passed=state.passed,
        sequential=outline.course.sequential,
        bypass_sequence=rules.bypasses_sequence(request.user),
    )
    return outline, progress, state


def _previewing(request, page) -> bool:
    """Editors' previews (drafts, pages not yet saved) show content without learner state."""
    return bool(getattr(request, "is_preview", False) or not page.pk or not page.path)


def _course_of(page):
    if not page.path:
        return None
    return CoursePage.objects.ancestor_of(page, inclusive=True).first()


def course_context(request, course):
    if _previewing(request, course):
        return {"preview": True}
    outline, state, _text = course_page_caches(request.user, course.path)
    if outline is None:  # a course not live (served to its editors only)
        outline = course_outline(course)
        state = cached_learner_state(request.user, course.translation_key)
    outline, progress, state = _course_state(request, course, outline, state)
    enrolment = state.enrolment
    resume = None
    if enrolment is not None and enrolment.last_lesson_key:
        resume = outline.lesson(enrolment.last_lesson_key)
    certificate = state.certificates.get(course.version) if enrolment is not None else None
    return {
        "outline": outline,
        "progress": progress,
        "enrolment": enrolment,
        "resume": resume,
        "next_lesson": progress.next_lesson,
        "certificate": certificate,
        "holder_name": own_name(request.user),
        "holder_name_max": HOLDER_NAME_MAX,
        "can_enrol": rules.can_enrol(request.user),
    }


def course_post(request, course):
    action = request.POST.get("action")
    back = HttpResponseRedirect(course.get_url(request))
    try:
        if action == "enrol":
            _enrolment_obj, created = services.enrolment_create(user=request.user, course=course)
            if created:
                messages.success(request, _("You are enrolled. Start with the first lesson."))
            else:
                messages.info(request, _("You are already enrolled in this course."))
        elif action == "certificate":
            certificate, _created = services.certificate_issue(
                user=request.user, course=course, holder_name=request.POST.get("holder_name")
            )
            messages.success(request, _("Your certificate is ready."))
            return HttpResponseRedirect(
                reverse("courses:certificate", kwargs={"code": certificate.code})
            )
        else:
            messages.error(request, _("Unknown action; nothing was changed."))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _message(exc))
    return back


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")


def _caches_of(request, page, lesson=None):
    """The outline of the live course `page` belongs to (None when that course is not live),
    the reader's state in it, the lesson's text."""
    if not page.path:
        return None, None, None
    return course_page_caches(
        request.user, page.path[: CoursePage.COURSE_PATH_LENGTH], lesson=lesson
    )


def module_context(request, module):
    outline, state, _text = _caches_of(request, module)
    course = outline.course if outline is not None else None
    if course is None or _previewing(request, module):
        return {"preview": True, "course": _course_of(module)}
    outline, progress, state = _course_state(request, course, outline, state)
    return {
        "course": course,
        "outline": outline,
        "progress": progress,
        "module_progress": progress.module_progress(module),
        "enrolment": state.enrolment,
    }


def _neighbours(outline, lesson):
    lessons = outline.lessons
    for i, info in enumerate(lessons):
        if info.page.pk == lesson.pk:
            previous = lessons[i - 1] if i > 0 else None
            following = lessons[i + 1] if i + 1 < len(lessons) else None
            return info, previous, following
    return None, None, None


def lesson_context(request, lesson):
    outline, state, text_html = _caches_of(request, lesson, lesson=lesson)
    course = outline.course if outline is not None else None
    if course is None or _previewing(request, lesson):
        return {
            "preview": True,
            "course": _course_of(lesson),
            "body_items": [(child, None, None) for child in lesson.body],
        }
    outline, progress, state = _course_state(request, course, outline, state)
    enrolment = state.enrolment
    info, previous, following = _neighbours(outline, lesson)
    module_progress = progress.modules[info.module_index] if info else None
    locked = module_progress is not None and not module_progress.is_open
    if not locked and request.method == "GET":
        services.lesson_visit(enrolment=enrolment, lesson=lesson)
    state = getattr(request, "courses_form_state", {})
    fallback = fallback_lang(lesson)
    url_of = url_maker(course, request)
    module = info and outline.modules[info.module_index]
    previous_module = (
        outline.modules[info.module_index - 1] if locked and info.module_index > 0 else None
    )
    # The links the page shows ({% page_url %}), without a get_url each.
    page_urls = {
        p.pk: url_of(p)
        for p in (
            course,
            lesson,
            module and module.page,
            previous and previous.page,
            following and following.page,
            previous_module and previous_module.page,
        )
        if p
    }
    assessment_views = {}
    if not locked:
        assessment_views = build_assessment_views(
            request, course, lesson, enrolment, state, lesson_url=page_urls[lesson.pk]
        )
    body = [
        (child, assessment_views.get(str(child.id)), _text_block(child, text_html, fallback))
        for child in lesson.body
    ]
    course_nav = lesson_navigation(progress, info)
    return {
        "course": course,
        "outline": outline,
        "progress": progress,
        "module": module,
        "module_progress": module_progress,
        "locked": locked,
        "previous_module": previous_module,
        "page_urls": page_urls,
        "enrolment": enrolment,
        "lesson_done": progress.lesson_done(info) if info else False,
        "can_mark_complete": rules.can_mark_complete(request.user, enrolment, lesson),
        "previous_lesson": previous,
        "next_lesson": following,
        "next_locked": following is not None
        and not progress.modules[following.module_index].is_open,
        "course_nav": course_nav,
        # courses/_course_nav.html's markup, built in Python (courses/outline_html.py).
        "course_outline_html": mark_safe(  # noqa: S308 - every value escaped there
            course_outline_html(
                request=request,
                page=lesson,
                course=course,
                course_nav=course_nav,
                enrolment=enrolment,
                progress=progress,
                url_of=url_of,
            )
        )
        if course_nav
        else "",
        # A text lesson stays script-free; ordering.js only where an ordering form shows.
        "needs_ordering_script": any(
            item.kind == "ordering"
            for view in assessment_views.values()
            if view.mode == "form"
            for item in view.items
        ),
        "body_items": body,
    }


def _text_block(child, text_html, fallback):
    """A text block's whole `<div class="block …">`, as lesson_page.html wrote it around the
    block's cached HTML; None for an exercise (rendered with the learner's state)."""
    html = text_html.get(str(child.id))
    if html is None:
        return None
    return mark_safe(  # noqa: S308 - the block's own rendering, the attributes escaped
        f'<div class="block block--{conditional_escape(child.block_type)}" '
        f'id="block-{conditional_escape(child.id)}"{fallback}>{html}</div>'
    )


def build_assessment_views(request, course, lesson, enrolment, state, lesson_url=None) -> dict:
    user = request.user
    attempts_by_block: dict[str, list] = {}
    if enrolment is not None:
        for attempt in AssessmentAttempt.objects.filter(
            user=user, lesson_key=lesson.translation_key
        ).order_by("number"):
            attempts_by_block.setdefault(attempt.block_id, []).append(attempt)
    retry = request.GET.get("retry", "")
    lesson_url = lesson_url or lesson.get_url(request)
    views = {}
    for child in lesson.body:
        if child.block_type not in ("quiz", "identifier_exercise", "document_check"):
            continue
        block_id = str(child.id)
        attempts = attempts_by_block.get(block_id, [])
        slip = state.get(block_id)
        if not user.is_authenticated:
            mode = "signin"
        elif enrolment is None:
            mode = "enrol"
        elif attempts and retry != block_id and slip is None:
            mode = "result"
        else:
            mode = "form"
        number = len(attempts) + 1
        view = _assessment_view(child, block_id, mode, number, attempts, slip, user)
        view.retry_url = (
            f"{lesson_url or lesson.get_url(request)}?retry={block_id}#block-{block_id}"
        )
        views[block_id] = view
    return views


def _assessment_view(child, block_id, mode, number, attempts, slip, user):
    value = child.value
    kind = child.block_type
    answers = slip["answers"] if slip else {}
    missing = set(slip["missing"]) if slip else set()
    last = attempts[-1] if attempts else None
    view = P.AssessmentView(
        block_id=block_id,
        kind=kind,
        title=value["title"],
        pass_mark=value["pass_mark"],
        mode=mode,
        number=number,
        items=[],
        attempts=attempts,
        last=last,
        errors=slip["errors"] if slip else [],
    )
    user_id = user.pk if user.is_authenticated else 0
    if kind == "quiz":
        questions = A.quiz_items(value)
        if mode == "result":
            shown = A.quiz_presentation(
                questions,
                shuffle=value["shuffle"],
                rng=A.attempt_rng(user_id=user_id, block_id=block_id, number=last.number),
            )
            view.items = P.quiz_result_items(shown, last)
        else:
            shown = A.quiz_presentation(
                questions,
                shuffle=value["shuffle"],
                rng=A.attempt_rng(user_id=user_id, block_id=block_id, number=number),
            )
            view.items = P.quiz_form_items(shown, answers, missing)
    elif kind == "identifier_exercise":
        items = A.identifier_items(value)
        view.instructions = value["instructions"]
        view.items = (
            P.identifier_result_items(items, last)
            if mode == "result"
            else P.identifier_form_items(items, answers, missing)
        )
    else:
        items = A.document_items(value)
        regime = P.regime_of(value)
        view.scenario, view.document = value["scenario"], value["document"]
        view.regime_label, view.regime_article = str(regime.label), regime.article
        view.items = (
            P.document_result_items(items, last)
            if mode == "result"
            else P.document_form_items(items, answers, missing)
        )
    return view


def lesson_post(request, lesson):
    course = CoursePage.objects.ancestor_of(lesson).live().first()
    url = lesson.get_url(request)
    if course is None:
        messages.error(request, _("This course is not published; nothing was recorded."))
        return HttpResponseRedirect(url)
    enrolment = _enrolment(request, course)
    outline = course_outline(course)
    progress = learner_progress(
        request.user, outline, bypass_sequence=rules.bypasses_sequence(request.user)
    )
    info, _prev, _next = _neighbours(outline, lesson)
    if info is None or not progress.modules[info.module_index].is_open:
        messages.error(request, _("This module is not open to you yet; nothing was recorded."))
        return HttpResponseRedirect(url)
    action = request.POST.get("action")
    try:
        if action == "complete":
            created = services.lesson_mark_complete(
                user=request.user, enrolment=enrolment, course=course, lesson=lesson
            )
            messages.success(
                request,
                _("Lesson complete.") if created else _("This lesson was already complete."),
            )
            following = _neighbours(outline, lesson)[2]
            if following is not None:
                return HttpResponseRedirect(following.page.get_url(request))
            return HttpResponseRedirect(course.get_url(request))
        if action == "assess":
            return _assess(request, course, lesson, enrolment, url)
        messages.error(request, _("Unknown action; nothing was changed."))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _message(exc))
    return HttpResponseRedirect(url)


def _assess(request, course, lesson, enrolment, url):
    block_id = request.POST.get("block", "")
    child = next(
        (
            c
            for c in lesson.body
            if str(c.id) == block_id
            and c.block_type in ("quiz", "identifier_exercise", "document_check")
        ),
        None,
    )
    if child is None:
        messages.error(
            request,
            _(
                "This exercise is not part of the lesson (it may have been "
                "changed since you opened the page). Nothing was recorded."
            ),
        )
        return HttpResponseRedirect(url)
    anchor = f"{url}#block-{block_id}"
    if not rules.can_take_assessment(request.user, enrolment):
        messages.error(request, _("Enrol in the course to have your answers recorded."))
        return HttpResponseRedirect(anchor)
    try:
        number = int(request.POST.get("attempt", ""))
    except ValueError:
        number = 0
    if number < 1:
        messages.error(request, _("The form was incomplete; nothing was recorded."))
        return HttpResponseRedirect(anchor)

    value, kind = child.value, child.block_type
    try:
        if kind == "quiz":
            items = A.quiz_items(value)
            answers = A.quiz_parse(items, request.POST)
            results, score = A.quiz_mark(items, answers)
        elif kind == "identifier_exercise":
            items = A.identifier_items(value)
            answers = A.identifier_parse(items, request.POST)
            results, score = A.identifier_mark(items, answers)
        else:
            items = A.document_items(value)
            answers = A.document_parse(items, request.POST)
            results, score = A.document_mark(items, answers)
    except A.Tampered:
        messages.error(
            request,
            _(
                "These answers do not match this exercise (it may have "
                "changed since you opened the page). Nothing was recorded; "
                "please answer again."
            ),
        )
        return HttpResponseRedirect(f"{url}?retry={block_id}#block-{block_id}")
    except A.Incomplete as slip:
        # Render the page again with the answers given so far: nothing lost, nothing stored.
        request.courses_form_state = {
            block_id: {
                "answers": slip.answers,
                "missing": slip.missing,
                "errors": [
                    _("Answer every question before submitting; the unanswered ones are marked.")
                ],
            }
        }
        request.method = "GET"
        response = lesson.serve(request)
        response.status_code = 400
        return response

    # Attempts are cheap to post and every one is kept: a ceiling stops scripted floods.
    if rate_limit_exceeded(scope="courses:attempt", key=request.user.pk, rate=ATTEMPT_RATE):
        messages.error(
            request,
            _(
                "Too many submissions in a short time; nothing was recorded. "
                "Wait a minute and submit again."
            ),
        )
        return HttpResponseRedirect(anchor)
    submission = services.Submission(
        block_id=block_id,
        kind=kind,
        number=number,
        answers=answers,
        results=results,
        score=score,
        pass_mark=value["pass_mark"],
    )
    try:
        attempt = services.attempt_submit(
            user=request.user,
            enrolment=enrolment,
            course=course,
            lesson=lesson,
            submission=submission,
        )
    except services.AlreadySubmitted as exc:
        messages.info(request, _message(exc))
        return HttpResponseRedirect(anchor)
    if attempt.passed:
        messages.success(
            request,
            _("Passed with %(score)s%% (pass mark %(mark)s%%).")
            % {"score": attempt.score, "mark": attempt.pass_mark},
        )
    else:
        messages.warning(
            request,
            _(
                "%(score)s%%: below the pass mark of %(mark)s%%. Read the "
                "explanations and try again."
            )
            % {"score": attempt.score, "mark": attempt.pass_mark},
        )
    return HttpResponseRedirect(anchor)
