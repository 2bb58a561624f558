"""Consultations in a real browser (issue #5): a member of the public signs up, comments on
section 2 of the open consultation and gets a reference number; an officer publishes the
comment, answers every comment, closes the period and publishes the outcome; the commenter
gets the outcome by e-mail; the public page shows the response table. axe on every page.
A second journey reads the demo consultations in Chinese.
"""

import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .conftest import serve_demo
from .test_newcomer_journey import confirmation_url, field, mail_to, url, zh

pytestmark = pytest.mark.e2e

OPEN_TITLE = "Draft decision: maize MON-89Ø34-3 for direct use as food or feed, or for processing"
OPEN_TITLE_ZH = "决定草案：玉米 MON-89Ø34-3 直接用作食物或饲料或用于加工"
PASSWORD = "lmo-border-sampling-protocol-42"
REFERENCE = re.compile(r"MON89034-\d{4}")
OUR_RESPONSE = "Section 2 now cites the field studies on non-target insects."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own server: the journey closes the demo's open consultation, which the
    other journeys (sharing the session's server) expect to find open."""
    with serve_demo(tmp_path_factory.mktemp("e2e-consultations")) as running:
        yield running


def sign_up(page: Page, server, email: str) -> None:
    page.goto("/en/accounts/signup/")
    main = page.get_by_role("main")
    field(main, "Email").fill(email)
    field(main, "Password").fill(PASSWORD)
    field(main, "Password (again)").fill(PASSWORD)
    main.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(url(server, "/en/accounts/confirm-email/"))
    page.goto(confirmation_url(mail_to(server, email)))
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(url(server, "/en/profile/"))
    main = page.get_by_role("main")
    field(main, "display name").fill("Amina Diallo")
    field(main, "country").select_option("SN")
    field(main, "organisation").fill("Biosafety Network Senegal")
    field(main, "stakeholder category").select_option("ngo")
    main.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile has been saved.")


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/en/accounts/login/")
    main = page.get_by_role("main")
    field(main, "Email").fill(email)
    field(main, "Password").fill(password)
    main.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()


def test_public_comment_to_published_outcome(browser, server):
    public = browser.new_context(base_url=server.base_url, locale="en-GB")
    page = public.new_page()
    email = f"amina-{uuid.uuid4().hex[:8]}@example.org"
    sign_up(page, server, email)

    # The index lists the open consultation; the page shows its sections and the deadline.
    page.goto("/en/consultations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public consultations")
    assert_accessible(page)
    page.get_by_role("link", name=OPEN_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OPEN_TITLE)
    expect(page.locator("#section-2")).to_contain_text("Risk assessment conclusions")
    # UTC without script, and the reader's local time added by the script.
    expect(page.locator("time[data-local-time]").first).to_contain_text("UTC")
    expect(page.locator(".local-time").first).to_be_visible()
    assert_accessible(page)

    # Comment on section 2.
    page.get_by_role("link", name="Comment on section 2").click()
    form = page.locator("#comment-form")
    expect(field(form, "Your comment is about")).to_have_value(re.compile(r"\S+"))
    expect(field(form, "Your comment is about").locator("option:checked")).to_contain_text(
        "Section 2: Risk assessment conclusions"
    )
    field(form, "Your comment").fill("Please cite the field studies on non-target insects.")
    field(form, "Show my name publicly with this comment").check()
    assert_accessible(page)
    form.get_by_role("button", name="Send comment").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(REFERENCE)
    reference = REFERENCE.search(page.get_by_role("heading", level=1).inner_text()).group(0)
    expect(page.get_by_role("main")).to_contain_text(f"reference number {reference}")
    expect(page.get_by_role("main")).to_contain_text("Awaiting moderation")
    assert_accessible(page)
    receipt = mail_to(server, email, about=reference)
    assert reference in receipt["Subject"]
    body = receipt.get_body(preferencelist=("plain",)).get_content()
    assert "SHA-256" in body and re.search(r"\b[0-9a-f]{64}\b", body)

    # The officer publishes it, answers every comment, closes the period, publishes the outcome.
    officer_context = browser.new_context(base_url=server.base_url, locale="en-GB")
    officer = officer_context.new_page()
    sign_in(officer, "officer@example.org", "biosafety-demo")
    officer.goto("/en/consultations/")
    officer.get_by_role("link", name=OPEN_TITLE).click()
    officer.get_by_role("link", name="Manage comments (officers)").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Comments: officers' screen")
    assert_accessible(officer)
    manage_url = officer.url.split("?")[0]

    officer.goto(manage_url + "?show=pending")
    ours = officer.locator(f"#row-{reference}")
    field(ours, "Decision").select_option("published")
    ours.get_by_role("button", name="Record decision").click()
    expect(officer.get_by_role("status")).to_contain_text(f"{reference}: Published")
    # The demo's other pending comment (not confidential) is published too.
    while True:
        officer.goto(manage_url + "?show=pending")
        rows = officer.locator("section.officer-comment").filter(
            has_not_text="Not to be published (privacy request)"
        )
        if rows.count() == 0:
            break
        field(rows.first, "Decision").select_option("published")
        rows.first.get_by_role("button", name="Record decision").click()

    for _ in range(20):
        officer.goto(manage_url + "?show=unanswered")
        rows = officer.locator("section.officer-comment")
        if rows.count() == 0:
            break
        row = rows.first
        is_ours = row.get_attribute("id") == f"row-{reference}"
        field(row, "Disposition").select_option("accepted" if is_ours else "noted")
        field(row, "Response").fill(OUR_RESPONSE if is_ours else "Taken into account.")
        row.get_by_role("button", name="Save response").click()
        expect(officer.get_by_role("status")).to_contain_text("saved")
    assert_accessible(officer)

    officer.goto(manage_url)
    field(officer, "Why does the comment period end early?").fill(
        "The competent authority must decide within 270 days (Art. 10.3)."
    )
    officer.get_by_role("button", name="Close the comment period").click()
    # Acts that cannot be undone ask first (issue 12, item 8).
    expect(officer.get_by_role("heading", level=1)).to_have_text("Close the comment period now?")
    officer.get_by_role("button", name="Yes, close the comment period").click()
    expect(officer.get_by_role("status")).to_contain_text("The comment period is closed.")
    outcome = officer.get_by_role("region", name="Publish the outcome")
    field(outcome, "Decision").fill("Approved for food, feed and processing, with conditions.")
    # Never before the period closed (Outcome.clean): the officer decides today.
    field(outcome, "Date of the decision").fill(timezone.localdate().isoformat())
    field(outcome, "How the comments were taken into account").fill(
        "Section 2 was revised; the documentation wording follows Art. 18.2(a)."
    )
    assert_accessible(officer)
    outcome.get_by_role("button", name="Publish the outcome").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Publish the outcome?")
    officer.get_by_role("button", name="Yes, publish the outcome").click()
    expect(officer.get_by_role("heading", name="Outcome", exact=True)).to_be_visible()
    officer_context.close()

    # The commenter is told the outcome and what happened to their comment.
    outcome_mail = mail_to(server, email, about="Outcome of the consultation")
    assert "Outcome of the consultation" in outcome_mail["Subject"]
    text = outcome_mail.get_body(preferencelist=("plain",)).get_content()
    assert reference in text and OUR_RESPONSE in text and "Accepted" in text
    public.close()

    # Anyone sees the response table on the public page.
    anonymous = browser.new_context(base_url=server.base_url, locale="en-GB")
    reader = anonymous.new_page()
    reader.goto("/en/consultations/")
    reader.get_by_role("link", name=OPEN_TITLE).click()
    # The page has other tables (the procedure's clocks, the notifier's claims).
    table = reader.get_by_role("table").filter(has_text=reference)
    expect(table).to_contain_text(reference)
    expect(table).to_contain_text(OUR_RESPONSE)
    expect(table).to_contain_text("Amina Diallo")  # she chose to show her name
    expect(reader.get_by_role("main")).not_to_contain_text("Our own trial data")  # Art. 21
    assert_accessible(reader)
    anonymous.close()


def test_demo_consultations_read_in_chinese(page: Page, server):
    page.goto("/zh-hans/consultations/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("公众意见征求")
    assert_accessible(page)
    closed = page.get_by_role("link", name="国家准则草案：研究实验室中改性活生物体的封闭使用")
    closed.click()
    expect(page.get_by_role("heading", name=zh("Response to comments"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(zh("Accepted"))
    assert_accessible(page)
    page.get_by_role("link", name=zh("Statistics"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Statistics"))
    assert_accessible(page)
    page.goto("/zh-hans/consultations/?state=bogus")
    expect(page.get_by_role("status")).to_contain_text("bogus")
    assert_accessible(page)
