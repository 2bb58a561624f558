"""Follow and unsubscribe in Chromium: "Notify me" on a consultation, the mail it brings (with
a one-click unsubscribe link and List-Unsubscribe headers), and stopping from the mail's link
without signing in. Also "tell me when a new consultation opens" by decision type."""

import re
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .conftest import _manage, _server_env
from .test_courses_journey import sign_in

pytestmark = pytest.mark.e2e

READER = "reviewer@example.org"
DECIDED = "/en/consultations/contained-use-laboratory-guideline/"  # outcome published
SCREENSHOTS = "test-results/e2e/screens"
WIDER_THAN_PHONE = """() => [...document.querySelectorAll("main *")]
  .filter((el) => el.getBoundingClientRect().right > 391)
  .slice(0, 3).map((el) => el.tagName + "." + el.className)"""


def _follow_mail(server, address: str):
    for path in sorted(server.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = message_from_bytes(chunk.lstrip(), policy=policy.default)
            if address in str(message["To"]) and "Outcome published" in str(message["Subject"]):
                return message
    pytest.fail(f"No follow mail to {address} in {server.mail_dir}")


def test_notify_me_then_stop_from_the_mail_in_one_click(page: Page, server, browser):
    sign_in(page, READER)
    page.goto(DECIDED)
    page.get_by_role("button", name="Notify me").click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(re.escape(DECIDED)))
    expect(page.get_by_text("Done: we will e-mail you.")).to_be_visible()
    expect(page.get_by_role("button", name="Stop notifying me")).to_be_visible()
    assert_accessible(page)

    _manage(_server_env(server.database.parent), "send_follow_notices")
    message = _follow_mail(server, READER)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert link in message.get_body(preferencelist=("plain",)).get_content()

    # The link works for someone not signed in (another browser, the mail program's click).
    stranger = browser.new_context(base_url=server.base_url, locale="en-GB")
    other = stranger.new_page()
    other.goto(urlsplit(link).path)
    other.get_by_role("button", name="Stop these e-mails").click()
    expect(other.get_by_text("Done: you will get no more of these e-mails.")).to_be_visible()
    assert_accessible(other)
    stranger.close()

    page.reload()
    expect(page.get_by_role("button", name="Notify me")).to_be_visible()


def test_tell_me_when_a_new_consultation_of_a_type_opens(page: Page):
    sign_in(page, READER)
    page.goto("/en/consultations/")
    expect(page.get_by_text("Choose a decision type to be told")).to_be_visible()
    page.get_by_label("Decision type").select_option(index=1)
    page.locator(".consultation-filters button[type=submit]").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name=re.compile("^Tell me when a new consultation opens")).click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Stop notifying me")).to_be_visible()
    expect(page.get_by_text("You are told by e-mail when a new consultation opens")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar"])
def test_the_follow_box_reads_well_on_a_phone(browser, server, language):
    context = browser.new_context(
        base_url=server.base_url, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    page = context.new_page()
    sign_in(page, READER)
    page.goto(f"/{language}{DECIDED.removeprefix('/en')}")
    box = page.locator(".follow-box")
    expect(box.get_by_role("button")).to_be_visible()
    box.scroll_into_view_if_needed()
    edges = box.bounding_box()
    assert edges["x"] >= 0 and edges["x"] + edges["width"] <= 390
    page.screenshot(path=f"{SCREENSHOTS}/follow-{language}-390.png")
    wide = page.evaluate(WIDER_THAN_PHONE)
    print(language, "wider than 390 px:", wide)
    context.close()
