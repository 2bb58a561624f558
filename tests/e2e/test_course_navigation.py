"""The course outline beside a lesson and previous/next, in Chromium: on a desktop the outline
is a column beside the lesson; on a 390 px phone it sits folded above the lesson and opens on
a tap. Marks (done, current, locked) are words for screen readers, not only icons."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from courses.demo import COURSE_FIXTURE, stable_id

from .axe import assert_accessible
from .test_courses_journey import answer_quiz, arrange_with_keyboard, sign_in, submit

pytestmark = pytest.mark.e2e

# Not a learner of the other journeys (they share the demo site): reviewer has no course yet.
LEARNER = "reviewer@example.org"
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


def _ordering_question(page: Page):
    return page.locator("li.question").filter(has_text="Put the steps of the advance").first


def _positions(question) -> dict[str, str]:
    return question.evaluate(
        """(li) => Object.fromEntries([...li.querySelectorAll('.match-row')].map((row) =>
            [row.querySelector('label').textContent, row.querySelector('select').value]))"""
    )


def test_an_ordering_question_is_arranged_by_drag_and_by_keyboard(page: Page):
    data = json.loads(COURSE_FIXTURE.read_text(encoding="utf-8"))
    lesson = data["modules"][0]["lessons"][1]
    quiz = next(b["value"] for b in lesson["en"]["body"] if b["type"] == "quiz")
    q = next(q for q in quiz["questions"] if q["kind"] == "ordering")
    items = q["items"]
    sign_in(page, LEARNER)
    page.goto(COURSE)
    enrol = page.get_by_role("button", name="Enrol in this course")
    if enrol.count():
        enrol.click()
        page.wait_for_load_state("load")
    page.goto(SECOND)
    question = _ordering_question(page)
    expect(question.locator(".ordering-list")).to_be_visible()
    expect(question.locator("select").first).to_be_hidden()
    expect(question.get_by_text("Drag the items into order")).to_be_visible()

    # Drag with the pointer: the last item shown goes to the top.
    rows = question.locator(".ordering-item")
    last_text = rows.last.locator(".ordering-text").inner_text()
    question.locator(".ordering-list").scroll_into_view_if_needed()
    source, target = rows.last.bounding_box(), rows.first.bounding_box()
    page.mouse.move(source["x"] + 40, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 40, target["y"] + 5, steps=8)
    page.mouse.up()
    expect(rows.first.locator(".ordering-text")).to_have_text(last_text)
    assert _positions(question)[last_text] == "1"

    # The keyboard: "Move up" buttons put every item in place; the selects follow.
    arrange_with_keyboard(question, items)
    assert question.locator(".ordering-text").all_inner_texts() == items
    assert _positions(question) == {text: str(i) for i, text in enumerate(items, 1)}
    expect(question.locator("[aria-live]")).to_contain_text("is now in position")
    page.screenshot(path=f"{SCREENSHOTS}/ordering-en-1280.png", full_page=False)
    assert_accessible(page)

    # Submitted with the rest of the quiz, the order is marked right.
    section = question.locator("xpath=ancestor::section[1]")
    others = dict(quiz, questions=[x for x in quiz["questions"] if x is not q])
    answer_quiz(section, others, right=True)
    submit(page, section)
    result = _ordering_question(page)
    expect(result.get_by_text("Right", exact=True).first).to_be_visible()
