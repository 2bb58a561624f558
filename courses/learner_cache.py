"""What every course page loads on every request, kept in the cache: the course outline (per
course) and the learner's own state in it (per person and course: completed lessons, passed
assessments, enrolment).

Kept as core.page_cache keeps pages: an entry records when it began reading the database and
is used only while none of its tags changed since (`page_cache.unchanged_since`), so a write
that races a read never leaves stale data behind, and every worker sees a change at once.

- The outline carries the course's tag (`course:<path>`, changed by Wagtail's publishing and
  unpublishing of any page in the course) and SITE (moves, renames, deletions, privacy).
  It holds only live pages, the same for every reader.
- A learner's state carries `learner:<user id>:<course key>`, changed by any save or delete
  of their completions, attempts, enrolment or certificates (signals below) and by the
  services' bulk updates of their enrolment, and for every member by a save of their cohort:
  the person sees their completion, enrolment or score on the next page. No entry is shared
  between people: the key holds the user id.
- A cohort's report (the facilitator's dashboard: one row per member) carries
  `cohort:<id>` (members joining or leaving, the cohort saved), `course-activity:<course
  key>` (any learner's completion, attempt, enrolment, certificate or lesson read in the
  course: the same writes as above), PEOPLE (a profile or an account's address changed: the
  names shown) and the outline's tags. Only the facilitator of the cohort is shown it (the
  view asks before reading); "stalled", which time alone changes, is worked out on each read.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Profile
from core.page_cache import (
    SITE,
    cached_under_tags,
    invalidate,
    read_with_tag_times,
    tag_keys,
    unchanged_in,
)

from .blocks import ASSESSMENT_TYPES
from .cohort_report import CohortReport, cohort_report, is_stalled
from .models import (
    AssessmentAttempt,
    Certificate,
    Cohort,
    CohortMembership,
    CoursePage,
    Enrolment,
    LessonCompletion,
)
from .progress import course_outline, learner_state

OUTLINE_SECONDS = 600
LEARNER_SECONDS = 300
REPORT_SECONDS = 300
# Names and organisations of people, shown in cohort reports.
PEOPLE = "people"
KEY_VERSION = "1"


_cached = cached_under_tags


def outline_of(page):
    """The outline of the live course a module or lesson belongs to (its ancestor at the
    course's depth), or None when that course is not live."""
    return cached_outline_at(page.path[: CoursePage.COURSE_PATH_LENGTH])


def cached_outline_at(course_path: str):
    def build():
        course = CoursePage.objects.live().filter(path=course_path).first()
        return course_outline(course) if course is not None else None

    return _cached(
        _outline_key(course_path),
        [f"course:{course_path}", SITE],
        build,
        OUTLINE_SECONDS,
    )


def cached_outline(course):
    outline = cached_outline_at(course.path)
    return outline if outline is not None else course_outline(course)


def _outline_key(course_path: str) -> str:
    return f"courses:outline:{KEY_VERSION}:{course_path}"


def _text_key(lesson_pk) -> str:
    return f"courses:lesson-text:{KEY_VERSION}:{lesson_pk}:{get_language()}"


# Course path → course key, learnt from outlines: a module or lesson page asks for the
# learner's entry in the same read as the outline's (and checks the guess against it).
_COURSE_KEYS: dict[str, object] = {}


def course_page_caches(user, course_path: str, lesson=None):
    """(outline, learner state, lesson text) for a page of the course at `course_path`, as
    cached_outline_at, cached_learner_state and lesson_text_html give them, in one read of
    the cache instead of six when all are there: the entries and their tags' times (the
    outline's and text's, the same, and the learner's) together. Anything missing or stale is
    read as those functions read it. The outline is None when the course is not live."""
    user_pk = user.pk if user.is_authenticated else None
    keys, learner_key, course_tags, learner_tags, guess = _reads_of(
        user_pk, course_path, lesson.pk if lesson is not None else None
    )
    entries, times = read_with_tag_times(
        keys + ([learner_key] if learner_key else []), course_tags + learner_tags
    )
    shared = [entries.get(key) for key in keys]
    if all(shared) and unchanged_in(times, course_tags, min(e["started"] for e in shared)):
        outline = shared[0]["value"]
        text = shared[1]["value"] if lesson is not None else None
    else:
        outline = cached_outline_at(course_path)
        text = lesson_text_html(lesson) if lesson is not None else None
    if outline is None:
        return None, LearnerState(), text
    course_key = outline.course.translation_key
    _COURSE_KEYS[course_path] = course_key
    entry = entries.get(learner_key) if guess == course_key else None
    if entry is not None and unchanged_in(times, learner_tags, entry["started"]):
        state = entry["value"]
    else:
        state = cached_learner_state(user, course_key)
    return outline, state, text


def _reads_of(user_pk, course_path: str, lesson_pk):
    """What `course_page_caches` reads: the shared entries' keys, the learner's key (under
    the course key guessed for the path; None without a guess or a reader), the tags of
    each, the guess."""
    course_tags = [f"course:{course_path}", SITE]
    keys = [_outline_key(course_path)] + ([_text_key(lesson_pk)] if lesson_pk is not None else [])
    guess = _COURSE_KEYS.get(course_path) if user_pk is not None else None
    learner_key = _learner_key(user_pk, guess) if guess is not None else None
    learner_tags = [learner_tag(user_pk, guess)] if learner_key else []
    return keys, learner_key, course_tags, learner_tags, guess


def course_page_keys(user_pk, course_path: str, lesson_pk=None) -> list[str]:
    """The cache keys `course_page_caches` will read for this reader and page, for
    core.read_together (core.page_routes asks, once it knows the page)."""
    keys, learner_key, course_tags, learner_tags, _guess = _reads_of(
        user_pk, course_path, lesson_pk
    )
    return [*keys, *([learner_key] if learner_key else []), *tag_keys(course_tags + learner_tags)]


def lesson_text_html(lesson) -> dict[str, str]:
    """Block id → HTML of the lesson's text blocks (everything but its assessments), rendered
    once per lesson and language: the same for every reader, and most of a lesson page's
    rendering time. Kept under the course's tags, as the outline: a publish renders anew, a
    move or rename (links) too."""
    course_path = lesson.path[: CoursePage.COURSE_PATH_LENGTH]

    def build():
        return {
            str(child.id): str(child.render_as_block(context={"page": lesson, "lesson": lesson}))
            for child in lesson.body
            if child.block_type not in ASSESSMENT_TYPES
        }

    return _cached(
        _text_key(lesson.pk),
        [f"course:{course_path}", SITE],
        build,
        OUTLINE_SECONDS,
    )


def learner_tag(user_id, course_key) -> str:
    return f"learner:{user_id}:{course_key}"


@dataclass
class LearnerState:
    completed: set = field(default_factory=set)
    passed: set = field(default_factory=set)
    enrolment: Enrolment | None = None
    certificates: dict = field(default_factory=dict)  # course version → Certificate


def cached_learner_state(user, course_key) -> LearnerState:
    """Completed lesson keys, passed (lesson key, block id) pairs, enrolment, certificates."""
    if not user.is_authenticated:
        return LearnerState()

    def build():
        completed, passed = learner_state(user, course_key)
        enrolment = (
            Enrolment.objects.for_user(user).in_course(course_key).select_related("cohort").first()
        )
        certificates = {}
        if enrolment is not None:
            certificates = {
                c.course_version: c
                for c in Certificate.objects.filter(user=user, course_key=course_key)
            }
        return LearnerState(completed, passed, enrolment, certificates)

    return _cached(
        _learner_key(user.pk, course_key),
        [learner_tag(user.pk, course_key)],
        build,
        LEARNER_SECONDS,
    )


def _learner_key(user_id, course_key) -> str:
    return f"courses:learner:{KEY_VERSION}:{user_id}:{course_key}"


def learner_visited(enrolment, lesson_key, at) -> None:
    """The learner opened a lesson ("resume" leads there): written into their cached state
    rather than dropping it, or every new lesson read would load the state again. Kept with its
    old start time, so an entry a change has made stale stays stale."""
    key = _learner_key(enrolment.user_id, enrolment.course_key)
    entry = cache.get(key)
    cached = entry and entry["value"].enrolment
    if cached is None or cached.pk != enrolment.pk:
        return
    cached.last_lesson_key, cached.last_activity_at = lesson_key, at
    cache.set(key, entry, LEARNER_SECONDS)


def learner_changed(user_id, course_key) -> None:
    """The person's completions, attempts, enrolment or certificate in the course changed."""
    invalidate(learner_tag(user_id, course_key), activity_tag(course_key))


def activity_tag(course_key) -> str:
    return f"course-activity:{course_key}"


def cohort_tag(cohort_id) -> str:
    return f"cohort:{cohort_id}"


def activity_changed(course_key) -> None:
    """A learner's last activity in the course moved (a bulk update, which sends no signal):
    the cohort reports that show it."""
    invalidate(activity_tag(course_key))


def cached_cohort_report(cohort, outline) -> CohortReport:
    """The cohort's report (courses.cohort_report: four queries over all its members), kept
    while no member's learning, the membership, a name or the outline changed. The caller has
    checked that the reader runs this cohort."""
    course = outline.course

    def build():
        return cohort_report(cohort, outline).rows

    rows = _cached(
        f"courses:cohort-report:{KEY_VERSION}:{cohort.pk}:{course.pk}",
        [
            cohort_tag(cohort.pk),
            activity_tag(cohort.course_key),
            PEOPLE,
            f"course:{course.path[: CoursePage.COURSE_PATH_LENGTH]}",
            SITE,
        ],
        build,
        REPORT_SECONDS,
    )
    now = timezone.now()
    for row in rows:
        row.stalled = is_stalled(row, now)
    return CohortReport(cohort=cohort, outline=outline, rows=rows)


def _row_changed(sender, instance, **kwargs):
    learner_changed(instance.user_id, instance.course_key)


def _cohort_changed(sender, instance, **kwargs):
    # Its name shows on its members' course pages (their cached enrolment holds the cohort).
    members = Enrolment.objects.filter(cohort_id=instance.pk).values_list("user_id", flat=True)
    invalidate(
        cohort_tag(instance.pk),
        *[learner_tag(user_id, instance.course_key) for user_id in members],
    )


def _membership_changed(sender, instance, **kwargs):
    invalidate(cohort_tag(instance.cohort_id))


def _person_changed(sender, instance, update_fields=None, **kwargs):
    # Every sign-in saves the account's last_login: that changes no name.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    invalidate(PEOPLE)


def connect_signals() -> None:
    # Every write of these rows, from a service, the admin or the demo loader.
    for model in (LessonCompletion, AssessmentAttempt, Enrolment, Certificate):
        uid = f"courses.learner_cache.{model._meta.label}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + ".delete", weak=False)
    post_save.connect(_cohort_changed, sender=Cohort, dispatch_uid="courses.learner_cache.cohort")
    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(
            _membership_changed,
            sender=CohortMembership,
            dispatch_uid=f"courses.learner_cache.membership.{name}",
        )
        # The names in cohort reports: the profile's, else the account's address.
        for model in (Profile, get_user_model()):
            signal.connect(
                _person_changed,
                sender=model,
                dispatch_uid=f"courses.learner_cache.person.{model._meta.label}.{name}",
            )
