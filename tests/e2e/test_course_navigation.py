"""The course outline beside a lesson and previous/next, in Chromium: on a desktop the outline
is a column beside the lesson; on a 390 px phone it sits folded above the lesson and opens on
a tap. Marks (done, current, locked) are words for screen readers, not only icons."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from courses.demo import COURSE_FIXTURE, stable_id

from .axe import assert_accessible
from .test_courses_journey import answer_quiz, sign_in, submit

pytestmark = pytest.mark.e2e

LEARNER = "participant@example.org"
COURSE = "/en/courses/lmo-identification/"
MODULE = f"{COURSE}protocol-and-customs/"
FIRST = f"{MODULE}what-is-an-lmo/"
SECOND = f"{MODULE}scope-and-procedures/"
SCREENSHOTS = "test-results/e2e/screens"


def _first_lesson() -> tuple[dict, str]:
    data = json.loads(COURSE_FIXTURE.read_text(encoding="utf-8"))
    lesson = data["modules"][0]["lessons"][0]
    index = next(i for i, b in enumerate(lesson["en"]["body"]) if b["type"] == "quiz")
    block_id = stable_id(f"{data['course']['slug']}/protocol-and-customs/what-is-an-lmo", index)
    return lesson["en"]["body"][index]["value"], block_id


def _outline(page: Page):
    return page.get_by_role("navigation", name="Course outline")


def test_outline_beside_the_lesson_marks_progress_and_previous_next_move_on(page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, LEARNER)
    page.goto(COURSE)
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_load_state("load")
    page.goto(FIRST)

    outline = _outline(page)
    expect(outline).to_be_visible()
    current = outline.locator("a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("What is an LMO?")
    # The second module opens when the first is complete (a sequential course): listed, not linked.
    locked = outline.locator("li.outline-lesson", has_text="Article 18: handling")
    expect(locked).to_contain_text("(locked)")
    expect(locked.get_by_role("link")).to_have_count(0)
    # Beside the lesson, not above it.
    nav_box = outline.bounding_box()
    title_box = page.get_by_role("heading", level=1).bounding_box()
    assert nav_box["x"] + nav_box["width"] <= title_box["x"]
    assert_accessible(page)

    quiz, block_id = _first_lesson()
    section = page.locator(f"#block-{block_id}")
    answer_quiz(section, quiz, right=True)
    submit(page, section)
    expect(page.locator(f"#block-{block_id} .result--pass")).to_be_visible()
    done = _outline(page).locator("li.outline-lesson.is-done")
    expect(done).to_have_count(1)
    expect(done).to_contain_text("What is an LMO?")
    expect(done).to_contain_text("(done)")
    page.screenshot(path=f"{SCREENSHOTS}/outline-en-1280.png", full_page=False)

    pager = page.get_by_role("navigation", name="Lessons")
    pager.get_by_role("link", name=re.compile("Next")).click()
    expect(page).to_have_url(re.compile(re.escape(SECOND) + "$"))
    expect(_outline(page).locator("a[aria-current=page]")).to_contain_text("Scope and the")
    page.get_by_role("navigation", name="Lessons").get_by_role(
        "link", name=re.compile("Previous")
    ).click()
    expect(page).to_have_url(re.compile(re.escape(FIRST) + "$"))


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar"])
def test_on_a_phone_the_outline_is_folded_above_the_lesson(browser, server, language):
    context = browser.new_context(
        base_url=server.base_url, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    page = context.new_page()
    page.goto(f"/{language}{FIRST.removeprefix('/en')}")
    outline = page.locator("details.course-outline")
    lessons = outline.locator(".course-outline__modules")
    expect(outline.locator("summary")).to_be_visible()
    expect(lessons).to_be_hidden()
    assert outline.bounding_box()["y"] < page.locator("article.lesson h1").bounding_box()["y"]
    page.screenshot(path=f"{SCREENSHOTS}/outline-{language}-390-folded.png")
    outline.locator("summary").click()
    expect(lessons).to_be_visible()
    expect(outline.locator("a[aria-current=page]")).to_be_visible()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=f"{SCREENSHOTS}/outline-{language}-390-open.png", full_page=True)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SCREENSHOTS}/outline-{language}-1280.png")
    context.close()
