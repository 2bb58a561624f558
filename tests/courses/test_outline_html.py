"""The course outline built in Python (courses/outline_html.py) is, byte for byte, what its
template (courses/_course_nav.html) renders, for every learner state and language; and it
follows the learner's progress and the course's publishing."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from courses.models import LessonPage

from .helpers import complete_everything, enrol, lesson, quiz_post
from .test_lesson_navigation import _lesson_item, _outline


def _both(client, url, language="en"):
    """(the outline the page carried, what the template renders from the same context)."""
    response = client.get(url)
    assert response.status_code == 200
    context = response.context
    with translation.override(language):
        expected = render_to_string(
            "courses/_course_nav.html",
            {
                key: context[key]
                for key in ("page", "course", "course_nav", "enrolment", "progress")
            },
            request=response.wsgi_request,
        )
    return str(context["course_outline_html"]), expected, response.content.decode()


def _check(client, url, language="en"):
    built, expected, html = _both(client, url, language)
    assert built == expected
    assert built in html
    return built


def test_the_same_markup_for_an_anonymous_reader(client, course):
    _check(client, lesson("what-is-an-lmo").url)


def test_the_same_markup_for_a_learner_in_every_state(client, course, learner):
    client.force_login(learner)
    first, identifiers = lesson("what-is-an-lmo"), lesson("identifiers")
    # Signed in, not enrolled.
    _check(client, first.url)
    enrol(client, learner)
    # Enrolled, nothing done: the second module locked.
    outline = _check(client, identifiers.url)
    assert "(locked)" in outline and "0 of" in outline
    client.post(first.url, {"action": "complete"})
    client.post(identifiers.url, quiz_post(identifiers))
    outline = _check(client, identifiers.url)
    assert "(done)" in outline
    # A lesson of a locked module (shown locked, current).
    _check(client, lesson("ffp-invoice").url)
    complete_everything(client, learner)
    for page in LessonPage.objects.live().filter(locale__language_code="en"):
        _check(client, page.url)


@pytest.mark.parametrize("language", ["ar", "fr", "zh-hans", "ru", "es"])
def test_the_same_markup_in_every_language(client, course, learner, language):
    enrol(client, learner)
    client.post(lesson("what-is-an-lmo").url, {"action": "complete"})
    english = lesson("identifiers")
    # The page in the reader's language where one exists, else the English one under the
    # reader's prefix (the outline then carries lang="en" dir="auto").
    translated = LessonPage.objects.filter(
        translation_key=english.translation_key, locale__language_code=language
    ).first()
    url = translated.url if translated else english.url.replace("/en/", f"/{language}/", 1)
    outline = _check(client, url, language)
    if translated is None:
        assert 'lang="en" dir="auto"' in outline


def test_the_outline_follows_progress_and_unpublishing(client, course, learner):
    enrol(client, learner)
    first, identifiers = lesson("what-is-an-lmo"), lesson("identifiers")
    before = _outline(client.get(identifiers.url).content.decode())
    assert "(done)" not in _lesson_item(before, first.title)
    client.post(first.url, {"action": "complete"})
    after = _outline(client.get(identifiers.url).content.decode())
    assert "(done)" in _lesson_item(after, first.title)
    first.unpublish()
    gone = _outline(client.get(identifiers.url).content.decode())
    assert first.title not in gone and first.url not in gone


def test_one_learners_progress_never_shows_in_anothers_outline(client, course, learner):
    from tests.accounts.factories import make_user

    enrol(client, learner)
    first, identifiers = lesson("what-is-an-lmo"), lesson("identifiers")
    client.post(first.url, {"action": "complete"})
    assert "(done)" in _outline(client.get(identifiers.url).content.decode())
    other = make_user(email="other@example.org")
    enrol(client, other)
    outline = _outline(client.get(identifiers.url).content.decode())
    assert "(done)" not in outline and "0 of" in outline
