"""Page query counts do not grow with content: 3 items, then 30, the same count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.demo import course_load
from courses.models import LessonPage
from courses.services import cohort_create, enrolment_create
from tests import demo_snapshot
from tests.accounts.factories import make_user


@pytest.fixture(autouse=True)
def _no_clock_skew(settings):
    # A change counts PAGE_CACHE_CLOCK_SKEW later than it happened, so a page read within that
    # time after the test's own writes is not kept (courses.learner_cache): the counts below
    # would depend on how fast the machine runs.
    settings.PAGE_CACHE_CLOCK_SKEW = 0


def course_data(slug: str, n: int) -> dict:
    """An English-only course with n lessons in 2 modules; each lesson has n text blocks, a
    quiz of n questions and an identifier exercise of n items."""

    def body():
        blocks = [{"type": "paragraph", "value": f"<p>Paragraph {i}.</p>"} for i in range(n)]
        blocks.append(
            {
                "type": "quiz",
                "value": {
                    "title": "Quiz",
                    "pass_mark": 50,
                    "questions": [
                        {
                            "kind": "single",
                            "prompt": f"Q{i}",
                            "explanation": "e",
                            "choices": [
                                {"text": "a", "correct": True},
                                {"text": "b", "correct": False},
                            ],
                        }
                        for i in range(n)
                    ],
                },
            }
        )
        blocks.append(
            {
                "type": "identifier_exercise",
                "value": {
                    "title": "Ids",
                    "items": [{"identifier": "MON-ØØ81Ø-6", "valid": True} for _ in range(n)],
                },
            }
        )
        return blocks

    return {
        "index": {"slug": "courses", "en": {"title": "Courses"}},
        "course": {
            "slug": slug,
            "version": "1",
            "sequential": False,
            "estimated_hours": 1,
            "en": {"title": slug, "summary": "s", "audience": "a", "learning_outcomes": ["o"]},
        },
        "modules": [
            {
                "slug": f"m{m}",
                "en": {"title": f"Module {m}", "summary": ""},
                "lessons": [
                    {
                        "slug": f"l{m}-{i}",
                        "minutes": 5,
                        "required": True,
                        "en": {"title": f"Lesson {i}", "summary": "", "body": body()},
                    }
                    for i in range(n // 2 + (n % 2 if m == 0 else 0))
                ],
            }
            for m in range(2)
        ],
    }


def _two_courses_load(home):
    small = course_load(course_data("small", 3), home=home)
    big = course_load(course_data("big", 30), home=home)
    return small, big


def _shell_and_two_courses_load() -> dict:
    shell = demo_snapshot.site_shell_load()
    return {"shell": shell, "courses": _two_courses_load(shell["home"])}


@pytest.fixture(scope="session")
def _two_courses_snapshot(django_db_setup, django_db_blocker):
    # Loaded once per test process and copied into each test, as `course` is
    # (tests/demo_snapshot.py): the 30-lesson course alone took seconds to load.
    with django_db_blocker.unblock():
        return demo_snapshot.take(_shell_and_two_courses_load)


@pytest.fixture
def two_courses(site_shell, _two_courses_snapshot):
    if not connection.in_atomic_block:  # a transactional test would load them itself
        return _two_courses_load(site_shell["home"])
    loaded = demo_snapshot.restore(_two_courses_snapshot)
    # The copy carries its own site shell (as `course` does, tests/courses/conftest.py).
    site_shell.clear()
    site_shell.update(loaded["shell"])
    cache.clear()
    return loaded["courses"]


def count(client, url) -> int:
    client.get(url)  # warm per-process caches (site root paths, nav link)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def progress_in(client, course):
    """Some completions and attempts, so that every part of the page has something to show."""
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    client.post(lessons[0].url, {"action": "complete"})  # has assessments: refused
    from courses import assessments as A

    quiz = next(c for c in lessons[0].body if c.block_type == "quiz")
    data = {"action": "assess", "block": str(quiz.id), "attempt": "1"}
    for q in A.quiz_items(quiz.value):
        data[f"q-{q.id}"] = q.correct_ids[0]
    client.post(lessons[0].url, data)
    return lessons


@pytest.mark.parametrize("page", ["course", "module", "lesson", "my_learning"])
def test_learner_pages_stay_flat(client, two_courses, page, django_assert_num_queries):
    learner = make_user()
    client.force_login(learner)
    urls = {}
    for course in two_courses:
        enrolment_create(user=learner, course=course)
        lessons = progress_in(client, course)
        urls[course.slug] = {
            "course": course.url,
            "module": lessons[0].get_parent().url,
            "lesson": lessons[0].url,  # in result mode: every question's feedback shown
            "my_learning": "/en/courses/my-learning/",
        }[page]
    small = count(client, urls["small"])
    client.get(urls["big"])
    with django_assert_num_queries(small):
        client.get(urls["big"])
    assert small <= 12  # issue 16: no signed-in page over 12 queries


@pytest.mark.parametrize("page", ["course", "module", "lesson"])
def test_learner_pages_stay_flat_as_completions_grow(client, two_courses, page):
    """No completion, then every lesson complete and every assessment tried: the same count."""
    from courses.models import AssessmentAttempt, LessonCompletion

    _small, big = two_courses
    learner = make_user()
    client.force_login(learner)
    enrolment_create(user=learner, course=big)
    lessons = list(LessonPage.objects.descendant_of(big).order_by("path"))
    url = {
        "course": big.url,
        "module": lessons[-1].get_parent().url,
        "lesson": lessons[-1].url,
    }[page]
    before = count(client, url)
    for lesson in lessons:
        LessonCompletion.objects.create(
            user=learner,
            course_key=big.translation_key,
            lesson_key=lesson.translation_key,
            how=LessonCompletion.How.ASSESSED,
        )
        for block in lesson.assessments:
            AssessmentAttempt.objects.create(
                user=learner,
                course_key=big.translation_key,
                lesson_key=lesson.translation_key,
                block_id=block["id"],
                kind=block["kind"],
                number=1,
                answers={},
                results={},
                score=100,
                pass_mark=50,
                passed=True,
            )
    assert count(client, url) == before <= 12


def test_facilitator_dashboard_stays_flat(client, two_courses):
    small_course, _big = two_courses
    facilitator = make_user(roles=["Facilitators"])
    cohorts = {}
    for n in (3, 30):
        cohort = cohort_create(facilitator=facilitator, name=f"C{n}", course=small_course)
        for _ in range(n):
            user = make_user()
            client.force_login(user)
            client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
            progress_in(client, small_course)
        cohorts[n] = cohort
    client.force_login(facilitator)
    for suffix in ("", "export.csv"):
        small = count(client, f"/en/courses/cohorts/{cohorts[3].pk}/{suffix}")
        assert count(client, f"/en/courses/cohorts/{cohorts[30].pk}/{suffix}") == small <= 12
        # Built afresh (nothing cached, the report included): as flat.
        built = []
        for n in (3, 30):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(f"/en/courses/cohorts/{cohorts[n].pk}/{suffix}")
            built.append(len(ctx.captured_queries))
        assert built[0] == built[1]


def test_anonymous_lesson_page_stays_flat(client, two_courses, django_assert_num_queries, settings):
    # The cost of rendering it (the page cache serves repeats without a query:
    # tests/core/test_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    small, big = (LessonPage.objects.descendant_of(c).order_by("path").first() for c in two_courses)
    n = count(client, small.url)
    client.get(big.url)  # both courses' outlines cached (courses.learner_cache)
    with django_assert_num_queries(n):
        client.get(big.url)
    # Wagtail routes through each level of the tree (~12 queries); ours are 3.
    assert n <= 18
