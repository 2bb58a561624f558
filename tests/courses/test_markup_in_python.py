"""The course outline built in Python (courses/outline_html.py) is, byte for byte, what its
template (courses/_course_nav.html) renders, for every learner state and language; and it
follows the learner's progress and the course's publishing."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from courses.models import LessonPage

from .helpers import complete_everything, enrol, judgement_post, lesson, quiz_post
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


def _exercise_fields(response):
    """(tag's markup, template's markup) of every question shown as a form on the page."""
    from courses.templatetags.course_ui import choice_fields

    pairs = []
    for _block, state, _html in response.context["body_items"]:
        for item in getattr(state, "items", None) or []:
            if item.fields:
                pairs.append(
                    (
                        str(choice_fields(item, state)),
                        render_to_string(
                            "courses/blocks/_choice_fields.html", {"item": item, "state": state}
                        ),
                    )
                )
    return pairs


def test_exercise_inputs_are_the_templates_markup_blank_and_after_a_slip(client, course, learner):
    enrol(client, learner)
    client.post(lesson("what-is-an-lmo").url, {"action": "complete"})
    identifiers = lesson("identifiers")
    # A quiz sent with a question left out comes back refilled, the gap marked.
    response = client.post(identifiers.url, quiz_post(identifiers, skip=1))
    assert response.status_code == 400
    pairs = _exercise_fields(response)
    assert any(" checked" in built or " selected" in built for built, _e in pairs)
    assert any('aria-invalid="true"' in built for built, _e in pairs)
    for built, expected in pairs:
        assert built == expected
    kinds = set()
    for page, pass_first_module in ((identifiers, False), (lesson("ffp-invoice"), True)):
        if pass_first_module:  # the second module opens
            client.post(identifiers.url, quiz_post(identifiers))
            client.post(identifiers.url, judgement_post(identifiers, "identifier_exercise"))
        response = client.get(page.url)
        pairs = _exercise_fields(response)
        assert pairs, page.slug
        for built, expected in pairs:
            assert built == expected
            assert built in response.content.decode()
        kinds |= {
            f.widget
            for _b, state, _h in response.context["body_items"]
            for item in getattr(state, "items", None) or []
            for f in item.fields
        }
    assert {"radio", "checkbox", "select"} <= kinds
