"""Usability from real journeys (issue 12) in Chromium: nothing with the `hidden` attribute
shows, a refused form puts its error summary on screen and focuses it, and Arabic pages keep
identifiers left-to-right."""

import re

import pytest
from playwright.sync_api import Page, expect

from .test_newcomer_journey import field

pytestmark = pytest.mark.e2e

PASSWORD = "biosafety-demo"
CONSULTATION = "/en/consultations/maize-mon-89034-3-ffp/"

# Elements carrying `hidden` that take up room on screen anyway.
VISIBLE_HIDDEN = """() => Array.from(document.querySelectorAll("[hidden]"))
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => el.outerHTML.slice(0, 120))"""

# Text in an identifier's shape (MON-89Ø34-3, a reference, an ISO date) whose element lays it
# out right-to-left, where the bidirectional algorithm scrambles it.
SCRAMBLED_IDENTIFIERS = r"""() => {
  const shape = /[A-Z0-9Ø]+(?:-[A-Z0-9Ø]+)+/g;
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const bad = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const found = node.data.match(shape);
    if (!found || !node.parentElement.getClientRects().length) continue;
    if (getComputedStyle(node.parentElement).direction === "ltr") continue;
    bad.push(found[0] + " in «" + node.data.trim().slice(0, 60) + "»");
  }
  return bad;
}"""


def sign_in(page: Page, email: str) -> None:
    page.goto(f"/en/accounts/login/?next={CONSULTATION}")
    main = page.get_by_role("main")
    field(main, "Email").fill(email)
    field(main, "Password").fill(PASSWORD)
    main.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()


def links_under(page: Page, prefix: str, limit: int) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "main a[href]", "(links) => links.map((a) => a.getAttribute('href'))"
    )
    found = [h.split("#")[0] for h in hrefs if h.startswith(prefix) and "?" not in h]
    return list(dict.fromkeys(found))[:limit]


def expect_summary_in_view_and_focused(page: Page) -> None:
    summary = page.locator("[data-error-summary]").first
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("There is a problem")


def test_no_element_marked_hidden_shows_on_the_journeys_pages(browser, server):
    pages_seen = []
    for who in (None, "participant@example.org", "moderator@example.org", "officer@example.org"):
        context = browser.new_context(base_url=server.base_url, locale="en-GB")
        page = context.new_page()
        if who:
            sign_in(page, who)
        paths = ["/en/", "/en/forums/", "/en/consultations/", CONSULTATION, "/en/courses/"]
        page.goto("/en/forums/")
        groups = links_under(page, "/en/forums/groups/", 2)
        paths += groups
        for group in groups[:1]:
            page.goto(group)
            paths += links_under(page, group + "threads/", 2)
            if who == "moderator@example.org":
                paths.append(group + "moderate/")
        page.goto("/en/courses/")
        paths += links_under(page, "/en/courses/", 3)
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")  # live pages connect and set their status
            shown = page.evaluate(VISIBLE_HIDDEN)
            assert not shown, f"{path} as {who or 'anonymous'}: {shown}"
            pages_seen.append(path)
        context.close()
    assert len(pages_seen) > 20


def test_refused_upload_focuses_the_summary_and_asks_for_the_file_again(
    page: Page, server, tmp_path
):
    sign_in(page, "participant@example.org")
    page.goto(CONSULTATION)
    form = page.locator("#comment-form")
    field(form, "Your comment").fill("The field studies are not cited.")
    fake = tmp_path / "evidence.pdf"
    fake.write_bytes(b"MZ this is not a PDF")
    form.locator("input[type=file]").set_input_files(str(fake))
    form.get_by_role("button", name="Send comment").click()
    expect_summary_in_view_and_focused(page)
    assert page.url.endswith("#comment-form")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("please choose it again")
    # The summary's link takes the reader to the file picker.
    summary.get_by_role("link", name=re.compile("is not a PDF")).click()
    expect(page.locator("#id_attachment")).to_be_focused()


def test_refused_officer_decision_focuses_the_summary_at_that_comment(page: Page, server):
    sign_in(page, "officer@example.org")
    page.goto(CONSULTATION)
    page.get_by_role("link", name="Manage comments (officers)").click()
    page.get_by_role("link", name="Awaiting moderation").click()
    row = page.locator("section.officer-comment").first
    row_id = row.get_attribute("id")
    decide = row.get_by_role("form", name=re.compile("^Moderate "))
    decide.get_by_label("Decision").select_option("rejected")  # no reason given: refused
    decide.get_by_role("button", name="Record decision").click()
    expect_summary_in_view_and_focused(page)
    assert page.url.endswith(f"#{row_id}")
    expect(page.locator(f"#{row_id} [data-error-summary]")).to_be_visible()


def test_refused_sign_up_focuses_the_summary(page: Page, server):
    page.goto("/en/accounts/signup/")
    main = page.get_by_role("main")
    field(main, "Email").fill("someone@example.org")
    field(main, "Password").fill("lmo-border-sampling-protocol-42")
    field(main, "Password (again)").fill("something-else-entirely-42")
    main.get_by_role("button", name="Sign Up").click()
    expect_summary_in_view_and_focused(page)
    expect(page.locator("[data-error-summary] a")).to_have_count(1)


def test_arabic_pages_keep_every_identifier_left_to_right(page: Page, server):
    paths = [
        "/ar/consultations/maize-mon-89034-3-ffp/",
        "/ar/consultations/contained-use-laboratory-guideline/",
        "/ar/courses/check-unique-identifier/?identifiers=MON-89%C3%9834-3",
        "/ar/courses/lmo-identification/unique-identifiers/",
    ]
    page.goto("/ar/courses/lmo-identification/unique-identifiers/")
    paths += links_under(page, "/ar/courses/lmo-identification/unique-identifiers/", 3)
    for path in paths:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        scrambled = page.evaluate(SCRAMBLED_IDENTIFIERS)
        assert not scrambled, f"{path}: {scrambled}"


def test_a_comment_being_written_survives_a_reload_and_the_writer_is_told(page: Page, server):
    sign_in(page, "participant@example.org")
    page.goto(CONSULTATION)
    form = page.locator("#comment-form form")
    field(form, "Your comment").fill("Half a thought about section 2")
    expect(form.locator("[data-draft-saving]")).to_be_visible()
    page.reload()
    form = page.locator("#comment-form form")
    expect(field(form, "Your comment")).to_have_value("Half a thought about section 2")
    expect(form.locator("[data-draft-restored]")).to_be_visible()
    form.get_by_role("button", name="Discard the draft").click()
    expect(field(form, "Your comment")).to_have_value("")
    page.reload()
    expect(field(page.locator("#comment-form form"), "Your comment")).to_have_value("")
