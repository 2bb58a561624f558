"""Search in a real browser (issue 14): a Chinese reader types into the header's search box,
opens a result, and lands on the exact section of the draft decision, then on the exact
forum post. axe on the results page."""

import re

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible

pytestmark = pytest.mark.e2e


def search_from_header(page: Page, words: str) -> None:
    box = page.get_by_role("banner").get_by_role("search").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zh-hans/search/\?q="))


def test_a_chinese_search_from_the_header_lands_on_the_section_and_the_post(page: Page):
    page.goto("/zh-hans/")
    # Section 4 of the Chinese draft: "……防止散落谷物发芽" (spilled grain germinating).
    search_from_header(page, "散落 谷物")
    results = page.get_by_role("main").get_by_role("listitem").filter(has=page.locator("mark"))
    first = results.first
    expect(first).to_contain_text("意外散落的监测")
    expect(first.locator("mark").first).to_have_text(re.compile("散落|谷物"))
    assert_accessible(page)
    first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/zh-hans/consultations/.+#section-4$"))
    section = page.locator("#section-4")
    expect(section).to_be_in_viewport()
    expect(section).to_contain_text("散落谷物发芽")

    # A journalist's post in the 2012-style forum: "作为记者……".
    search_from_header(page, "记者")
    hit = page.get_by_role("main").get_by_role("listitem").filter(has_text="记者").first
    expect(hit).to_contain_text("讨论")  # the area
    hit.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/zh-hans/forums/groups/\d+/threads/\d+/#post-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    post = page.locator(f"#{anchor}")
    expect(post).to_be_in_viewport()
    expect(post).to_contain_text("作为记者")
