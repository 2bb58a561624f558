"""The course journey in Chromium: a facilitator opens a cohort; a learner joins it by code,
fails then passes a quiz and an identifier exercise, completes every module of the demo
course, downloads the certificate PDF and verifies it on the public page; the facilitator
sees the progress. axe checks every page on the way.

Right answers come from the course fixture itself (fixtures/courses/), found on the page by
their visible text, as a learner would: the quiz shuffles, so positions mean nothing.
"""

import io
import json
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from courses.demo import COURSE_FIXTURE, stable_id
from courses.regimes import REGIMES

from .axe import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "biosafety-demo"  # fixtures/site.json
FACILITATOR = "facilitator@example.org"
LEARNER = "officer@example.org"
LEARNER_NAME = "Olga Officer"


def sign_in(page: Page, email: str) -> None:
    page.goto("/en/accounts/login/")
    main = page.get_by_role("main")
    main.get_by_label(re.compile("^E-?mail", re.I)).fill(email)
    main.get_by_label(re.compile("^Password", re.I)).fill(PASSWORD)
    main.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def question(section, prompt: str):
    return section.locator("li.question").filter(has_text=prompt).first


def answer_quiz(
    section, quiz: dict, *, right: bool, true_label="True", false_label="False"
) -> None:
    for q in quiz["questions"]:
        li = question(section, q["prompt"])
        kind = q["kind"]
        if kind in ("single", "multiple"):
            choices = [c["text"] for c in q["choices"] if c["correct"] == right]
            for text in choices[:1] if not right else choices:
                li.get_by_label(text, exact=True).check()
        elif kind == "true_false":
            label = true_label if q["answer"] == right else false_label
            li.get_by_label(label, exact=True).check()
        elif kind == "matching":
            rights = [p["right"] for p in q["pairs"]]
            if not right:
                rights = rights[1:] + rights[:1]
            for pair, chosen in zip(q["pairs"], rights, strict=True):
                li.get_by_label(pair["left"], exact=True).select_option(label=chosen)
        elif kind == "ordering":
            order = q["items"] if right else q["items"][::-1]
            if li.locator(".ordering-list").count():
                arrange_with_keyboard(li, order)
            else:  # without JavaScript: a position per item
                for pos, item in enumerate(order, 1):
                    li.get_by_label(item, exact=True).select_option(str(pos))


def arrange_with_keyboard(li, order: list[str]) -> None:
    """Puts an ordering question's items in `order` with its "Move up" buttons, pressed from
    the keyboard (ordering.js; the position selects are hidden and follow the list)."""
    for target, text in enumerate(order):
        while True:
            texts = li.locator(".ordering-text").all_inner_texts()
            at = texts.index(text)
            if at == target:
                break
            up = li.locator(".ordering-item").nth(at).get_by_role("button", name=f"Move up: {text}")
            up.focus()
            up.page.keyboard.press("Enter")


def answer_identifiers(section, exercise: dict, *, right: bool) -> None:
    for item in exercise["items"]:
        li = question(section, item["identifier"])
        valid = item["valid"] if right else not item["valid"]
        li.get_by_label("Valid" if valid else "Not valid", exact=True).check()


def answer_document(section, check: dict, *, right: bool) -> None:
    for element in REGIMES[check["regime"]].elements:
        li = question(section, str(element.label))
        present = (element.code in check["present"]) == right
        li.get_by_label("Present" if present else "Missing", exact=True).check()


def submit(page: Page, section) -> None:
    section.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def test_learner_joins_a_cohort_passes_the_course_and_verifies_the_certificate(
    page: Page, browser, server
):
    data = json.loads(COURSE_FIXTURE.read_text(encoding="utf-8"))
    course_slug = data["course"]["slug"]
    course_url = f"/en/{data['index']['slug']}/{course_slug}/"

    # 1. The facilitator opens a cohort and reads its join code.
    sign_in(page, FACILITATOR)
    page.goto("/en/courses/cohorts/")
    assert_accessible(page)
    main = page.get_by_role("main")
    main.get_by_label("Name").fill("Training of trainers — Asia, browser run")
    main.get_by_label("Course").select_option(label=data["course"]["en"]["title"])
    main.get_by_role("button", name="Create cohort").click()
    code = page.locator(".join-code").inner_text().strip()
    dashboard_url = page.url
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    assert_accessible(page)
    sign_out(page)

    # 2. The learner joins by code (typed in lower case) and lands on the course, enrolled.
    sign_in(page, LEARNER)
    page.goto("/en/courses/join-cohort/")
    assert_accessible(page)
    page.get_by_role("main").get_by_label("Join code").fill(code.lower())
    page.get_by_role("main").get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(re.escape(course_url) + "$"))
    expect(page.get_by_text("and are enrolled in the course")).to_be_visible()
    assert_accessible(page)

    failed_quiz = failed_identifiers = False
    for m_index, module in enumerate(data["modules"]):
        for lesson in module["lessons"]:
            url = f"{course_url}{module['slug']}/{lesson['slug']}/"
            page.goto(url)
            assert_accessible(page)
            base = f"{course_slug}/{module['slug']}/{lesson['slug']}"
            for index, block in enumerate(lesson["en"]["body"]):
                kind, value = block["type"], block["value"]
                if kind not in ("quiz", "identifier_exercise", "document_check"):
                    continue
                section = page.locator(f"#block-{stable_id(base, index)}")
                answer = {
                    "quiz": answer_quiz,
                    "identifier_exercise": answer_identifiers,
                    "document_check": answer_document,
                }[kind]
                first_failure = (kind == "quiz" and not failed_quiz) or (
                    kind == "identifier_exercise" and not failed_identifiers
                )
                if first_failure:
                    # 3. Fail first: the result explains, and a retry is offered.
                    answer(section, value, right=False)
                    submit(page, section)
                    section = page.locator(f"#block-{stable_id(base, index)}")
                    expect(section.get_by_text("Not passed yet")).to_be_visible()
                    expect(section.get_by_text("Why").first).to_be_visible()
                    assert_accessible(page)
                    section.get_by_role("link", name="Try again").click()
                    page.wait_for_load_state("load")
                    section = page.locator(f"#block-{stable_id(base, index)}")
                    if kind == "quiz":
                        failed_quiz = True
                    else:
                        failed_identifiers = True
                answer(section, value, right=True)
                submit(page, section)
                section = page.locator(f"#block-{stable_id(base, index)}")
                expect(section.locator(".result--pass")).to_be_visible()
            expect(page.get_by_text("You have completed this lesson.")).to_be_visible()
        if m_index == 0:
            # 4. The first module is complete on the course page.
            page.goto(course_url)
            first = page.locator(".module-item").first
            expect(first.get_by_text("Complete", exact=True)).to_be_visible()
            assert_accessible(page)

    assert failed_quiz and failed_identifiers

    # 5. The certificate: PDF and public verification.
    page.goto(course_url)
    page.get_by_role("button", name="Get your certificate").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("This certificate is genuine.")).to_be_visible()
    assert_accessible(page)
    cert_code = page.locator("dl.certificate code").first.inner_text().strip()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    pdf_bytes = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert LEARNER_NAME in text and cert_code in text and data["course"]["en"]["title"] in text

    page.goto("/en/courses/my-learning/")
    expect(page.get_by_role("link", name="Your certificate")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    page.goto("/en/courses/verify-certificate/")
    assert_accessible(page)
    page.get_by_role("main").get_by_label("Verification code").fill(cert_code)
    page.get_by_role("main").get_by_role("button", name="Verify").click()
    expect(page.get_by_text("This certificate is genuine.")).to_be_visible()
    expect(page.get_by_text(LEARNER_NAME)).to_be_visible()
    assert_accessible(page)

    # 6. The facilitator sees the learner at 100 %.
    sign_in(page, FACILITATOR)
    page.goto(dashboard_url)
    row = page.locator("tbody tr").filter(has_text=LEARNER_NAME)
    expect(row).to_contain_text("100%")
    expect(row.get_by_text("Completed")).to_be_visible()
    expect(page.get_by_text("1 participant · 1 completed · 0 stalled")).to_be_visible()
    assert_accessible(page)


def test_public_identifier_checker_in_the_browser(page: Page, server):
    page.goto("/en/courses/check-unique-identifier/")
    assert_accessible(page)
    page.get_by_role("main").get_by_label("Unique identifier(s)").fill("MON-89Ø34-3 × MON-ØØ6Ø3-7")
    page.get_by_role("main").get_by_role("button", name="Check").click()
    results = page.locator(".uid-result")
    expect(results).to_have_count(2)
    expect(results.nth(1)).to_contain_text("the rule gives 6")
    assert_accessible(page)
