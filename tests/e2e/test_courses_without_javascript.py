"""The course works as plain HTML forms: with JavaScript switched off, a learner joins a demo
cohort, gets an unanswered question pointed out with the other answers kept, and submits a
quiz; in Chinese, the lesson and its feedback are in Chinese. (axe needs JavaScript: the
journey test checks these pages with it.)"""

import json
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from courses.demo import COURSE_FIXTURE, DEMO_COHORTS, stable_id

from .test_courses_journey import PASSWORD, answer_quiz, question

pytestmark = pytest.mark.e2e


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def no_js_page(browser, server):
    context = browser.new_context(
        base_url=server.base_url, locale="zh-CN", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_quiz_in_chinese_without_javascript(no_js_page, server):
    page = no_js_page
    data = json.loads(COURSE_FIXTURE.read_text(encoding="utf-8"))
    module, lesson = data["modules"][0], data["modules"][0]["lessons"][0]
    page.goto("/zh-hans/accounts/login/")
    main = page.get_by_role("main")
    main.get_by_label(re.compile("^(电子邮件|E-?mail)", re.I)).fill("participant@example.org")
    main.get_by_label(re.compile("^(密码|Password)", re.I)).fill(PASSWORD)
    main.locator("button[type=submit]").click()

    page.goto(f"/zh-hans/courses/join-cohort/?code={DEMO_COHORTS[1][1].lower()}")
    page.get_by_role("main").get_by_role("button", name=zh("Join")).click()
    expect(
        page.get_by_text(zh("You are already enrolled in this course.")).or_(
            page.locator(".message").first
        )
    ).to_be_visible()

    url = (
        f"/zh-hans/{data['index']['slug']}/{data['course']['slug']}/{module['slug']}/"
        f"{lesson['slug']}/"
    )
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson["zh-hans"]["title"])
    index = next(i for i, b in enumerate(lesson["zh-hans"]["body"]) if b["type"] == "quiz")
    quiz = lesson["zh-hans"]["body"][index]["value"]
    base = f"{data['course']['slug']}/{module['slug']}/{lesson['slug']}"
    section = page.locator(f"#block-{stable_id(base, index)}")

    # Answer all but the last question: the form comes back, the gap marked, answers kept.
    partial = dict(quiz, questions=quiz["questions"][:-1])
    with translation.override("zh-hans"):
        answer_quiz(section, partial, right=True, true_label=zh("True"), false_label=zh("False"))
    section.locator("button[type=submit]").click()
    section = page.locator(f"#block-{stable_id(base, index)}")
    expect(section.get_by_text(zh("Answer this question."))).to_have_count(1)
    last = question(section, quiz["questions"][-1]["prompt"])
    expect(last).to_contain_text(zh("Answer this question."))

    answer_quiz(section, quiz, right=True, true_label=zh("True"), false_label=zh("False"))
    section.locator("button[type=submit]").click()
    section = page.locator(f"#block-{stable_id(base, index)}")
    expect(section.locator(".result--pass")).to_contain_text(zh("Passed"))
    expect(section.get_by_text(zh("Why")).first).to_be_visible()
