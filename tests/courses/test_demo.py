"""The demo loads the course fixture in English and Chinese, idempotently."""

import pytest

from courses.demo import COURSE_FIXTURE
from courses.models import Cohort, CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.skipif(not COURSE_FIXTURE.exists(), reason="no course fixture yet")


def test_demo_loads_the_full_course_in_both_languages_and_twice_changes_nothing(demo, client):
    from core.demo import demo_load

    en = CoursePage.objects.get(locale__language_code="en")
    zh = CoursePage.objects.get(locale__language_code="zh-hans")
    assert en.translation_key == zh.translation_key
    assert ModulePage.objects.filter(locale__language_code="en").count() >= 5
    lessons = LessonPage.objects.filter(locale__language_code="en")
    assert lessons.count() >= 15
    kinds = [a["kind"] for lesson in lessons for a in lesson.assessments]
    assert kinds.count("identifier_exercise") >= 1 and kinds.count("document_check") >= 3
    # Assessment ids match across languages: progress in one counts in the other.
    for lesson in lessons:
        twin = lesson.get_translation(zh.locale)
        assert twin.assessments == lesson.assessments
    counts = (LessonPage.objects.count(), Cohort.objects.count())
    revisions = en.revisions.count()
    demo_load()
    assert (LessonPage.objects.count(), Cohort.objects.count()) == counts
    assert en.revisions.count() == revisions

    for url in (en.url, zh.url, lessons.first().url):
        assert client.get(url).status_code == 200


def test_every_demo_lesson_renders_in_both_languages(demo, client):
    for lesson in LessonPage.objects.live():
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.url


def test_every_demo_lesson_is_light_and_needs_no_javascript(demo, client):
    css = len(b"".join(client.get("/static/css/site.css").streaming_content)) + len(
        b"".join(client.get("/static/courses/courses.css").streaming_content)
    )
    heaviest = 0
    for lesson in LessonPage.objects.live():
        html = client.get(lesson.url).content
        assert b"<script" not in html, lesson.url
        heaviest = max(heaviest, len(html) + css)
    assert heaviest < 100_000, heaviest
