"""The quiz block built in Python (courses/quiz_html.py) is, byte for byte, what its template
(courses/blocks/quiz.html) renders from the same context: for every quiz of the demo content,
blank, refilled after a slip, marked (right, wrong, partly right, matching rows), previewed, for
a reader who must sign in or enrol, in English, Chinese and Arabic; hostile text escaped alike;
and the lesson page is the same with the Python path or the template."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from courses import quiz_html as Q
from courses.models import CoursePage, LessonPage
from tests.accounts.factories import make_user

from .helpers import quiz_post

TEMPLATE = "courses/blocks/quiz.html"
CSRF = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]+')


@pytest.fixture
def built(monkeypatch):
    """Every context the quiz block was built from, with what the builder returned."""
    seen = []
    original = Q.quiz_html

    def spy(context):
        html = original(context)
        seen.append((context, html))
        return html

    monkeypatch.setattr(Q, "quiz_html", spy)
    return seen


def _check(seen, language, html=None, *, required=True):
    """Each quiz built equals the template's rendering of the same context (and is on the page)."""
    assert seen or not required
    with translation.override(language):
        for context, built in seen:
            assert built == render_to_string(TEMPLATE, context)
            if html is not None:
                assert built in html
    modes = [getattr(c.get("state"), "mode", None) for c, _b in seen]
    seen.clear()
    return modes


def _quiz_lessons(language="en"):
    """(page, URL) of every lesson with a quiz: the reader's language's page where one exists,
    else the English one under the reader's prefix."""
    english = [
        p
        for p in LessonPage.objects.live().filter(locale__language_code="en")
        if any(c.block_type == "quiz" for c in p.body)
    ]
    assert english
    found = []
    for page in english:
        translated = (
            LessonPage.objects.live()
            .filter(translation_key=page.translation_key, locale__language_code=language)
            .first()
        )
        if translated is not None:
            found.append((translated, translated.url))
        else:
            found.append((page, page.url.replace("/en/", f"/{language}/", 1)))
    return found


def _enrol(client, user, lesson_page):
    client.force_login(user)
    course = CoursePage.objects.ancestor_of(lesson_page).live().first()
    client.post(course.url, {"action": "enrol"})
    return course


def _get(client, url, expect=200):
    response = client.get(url)
    assert response.status_code == expect
    return response.content.decode()


def _quiz_child(lesson_page):
    return next(c for c in lesson_page.body if c.block_type == "quiz")


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar"])
def test_every_demo_quiz_is_the_templates_markup_in_every_state(demo, client, built, language):
    # An editor: every module open, so every quiz shows.
    from accounts.roles import Role

    user = make_user(email="quiz-editor@example.test", roles=[Role.EDITORS])
    lessons = _quiz_lessons(language)
    kinds, modes, rows = set(), set(), False
    for page, url in lessons:
        # A reader who is not signed in: the sign-in notice, the questions without a button
        # (nothing where the module is locked to them).
        client.logout()
        modes |= set(_check(built, language, _get(client, url), required=False))
        # Signed in, not enrolled.
        client.force_login(user)
        modes |= set(_check(built, language, _get(client, url)))
        _enrol(client, user, page)
        html = _get(client, url)
        if language != "en":  # translated, not English
            assert all("Quiz · " not in b for _c, b in built)
        modes |= set(_check(built, language, html))
        child = _quiz_child(page)
        # Sent with a question left out: refilled, the gap marked.
        response = client.post(url, quiz_post(page, skip=1))
        assert response.status_code == 400
        assert "is-missing" in "".join(b for _c, b in built)
        modes |= set(_check(built, language, response.content.decode()))
        # Marked wrong, then (retried) right: two attempts in the result.
        client.post(url, quiz_post(page, right=False))
        html = _get(client, url)
        for context, _b in built:
            state = context["state"]
            if state.mode == "result":
                rows |= any(i.rows for i in state.items)
                kinds |= {i.kind for i in state.items}
        assert set(_check(built, language, html)) == {"result"}
        _get(client, f"{url}?retry={child.id}")
        assert set(_check(built, language)) == {"form"}
        client.post(url, quiz_post(page, number=2))
        html = _get(client, url)
        assert "<details>" in "".join(b for _c, b in built)
        modes |= set(_check(built, language, html))
        client.logout()
    assert {"signin", "enrol", "form", "result"} <= modes
    assert rows
    assert {"single", "multiple", "matching", "ordering"} <= kinds


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar"])
def test_the_preview_without_a_state(demo, language):
    with translation.override(language):
        for page, _url in _quiz_lessons(language):
            child = _quiz_child(page)
            context = {"page": page, "lesson": page, "value": child.value, "self": child.value}
            built = Q.quiz_html(context)
            assert built == render_to_string(TEMPLATE, context)
            assert '"title-preview"' in built
            assert built == str(child.render_as_block(context={"page": page}))


HOSTILE = '"><script>alert(1)</script> &amp; <b>'


def _hostile(text):
    return HOSTILE + text


def test_hostile_text_and_partial_credit_come_out_as_from_the_template(demo, client, built):
    from accounts.roles import Role

    page = next(p for p, _u in _quiz_lessons() if p.slug == "case-study-at-the-border")
    body = page.body.get_prep_value()
    for block in body:
        if block["type"] != "quiz":
            continue
        block["value"]["title"] = HOSTILE
        # The ordering question first: quiz_post(right=False) reverses it, partly right.
        block["value"]["questions"].sort(key=lambda q: q["type"] != "ordering")
        for question in block["value"]["questions"]:
            value = question["value"]
            value["prompt"] = _hostile(value["prompt"])
            value["explanation"] = HOSTILE
            if "scoring" in value:  # per-part credit: "Partly right: …"
                value["scoring"] = "parts"
            for key in ("choices", "pairs", "items"):
                for entry in value.get(key) or []:
                    if isinstance(entry["value"], str):
                        entry["value"] = _hostile(entry["value"])
                    else:
                        for k in ("text", "left", "right"):
                            if k in entry["value"]:
                                entry["value"][k] = _hostile(entry["value"][k])
    page.body = body
    page.save_revision().publish()
    page = LessonPage.objects.get(pk=page.pk)
    user = make_user(email="quiz-editor@example.test", roles=[Role.EDITORS])
    _enrol(client, user, page)
    seen = []
    _check(built, "en", _get(client, page.url))
    response = client.post(page.url, quiz_post(page, skip=1))
    seen += [b for _c, b in built]
    _check(built, "en", response.content.decode())
    client.post(page.url, quiz_post(page, right=False))
    html = _get(client, page.url)
    seen += [b for _c, b in built]
    states = [c["state"] for c, _b in built]
    _check(built, "en", html)
    assert any(i.parts for s in states for i in s.items)
    assert any(i.rows for s in states for i in s.items)
    both = "".join(seen)
    assert "Partly right" in both
    assert "<script>" not in both and "&lt;script&gt;" in both and "&amp;amp;" in both


def test_the_lesson_page_is_the_same_with_the_template(demo, client, monkeypatch):
    from accounts.roles import Role

    user = make_user(email="quiz-editor@example.test", roles=[Role.EDITORS])
    page = _quiz_lessons()[0][0]
    _enrol(client, user, page)
    client.post(page.url, quiz_post(page, right=False))
    urls = [page.url, f"{page.url}?retry={_quiz_child(page).id}"]

    def pages():
        out = [_get(client, url) for url in urls]
        out.append(client.post(page.url, quiz_post(page, skip=1)).content.decode())
        # The CSRF token is masked afresh for each page.
        return [CSRF.sub("", html) for html in out]

    _get(client, page.url)  # the flash messages shown once, before the pages compared
    python = pages()
    assert all('class="assessment assessment--quiz"' in html for html in python)
    # The template path, as QuizBlock rendered before.
    monkeypatch.setattr(Q, "quiz_html", lambda context: render_to_string(TEMPLATE, context))
    assert pages() == python
