"""The main pages on a phone (390 × 844, issue 12) in English, Chinese and Arabic: nothing
widens the page past the screen (a long value, an identifier, a wide table: wide tables
scroll inside their own region), and nothing carrying the `hidden` attribute shows."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "biosafety-demo"
PHONE = {"width": 390, "height": 844}
LANGUAGES = ["en", "zh-hans", "ar"]
# The demo's pages a reader meets first: home, a course and a lesson, a consultation open for
# comments, one whose outcome and response to comments are published, a comment, the forum,
# a group and a thread, and "My contributions".
PAGES = [
    "/{lang}/",
    "/{lang}/courses/",
    "/{lang}/courses/lmo-identification/",
    "/{lang}/courses/lmo-identification/protocol-and-customs/what-is-an-lmo/",
    "/{lang}/consultations/",
    "/{lang}/consultations/maize-mon-89034-3-ffp/",
    "/{lang}/consultations/contained-use-laboratory-guideline/",
    "/{lang}/consultations/ref/LABGUIDE-0001/",
    "/{lang}/forums/",
    "/{lang}/forums/public-access-biosafety-information/",
    "/{lang}/forums/groups/1/",
    "/{lang}/forums/groups/1/threads/1/",
    "/{lang}/profile/contributions/",
]

# What is wider than the screen, outside any element that scrolls or clips it: the culprits
# named in the failure, not only the page's width.
MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (!box.width || (box.right <= width + 1 && box.left >= -1)) continue;
    let contained = false;
    for (let up = el.parentElement; up && !contained; up = up.parentElement) {
      contained = ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(up).overflowX);
    }
    if (!contained) wide.push(el);
  }
  // Name the innermost ones: a container is only wide because of what is inside it.
  const culprits = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  const describe = (el) => {
    const box = el.getBoundingClientRect();
    return `${el.tagName.toLowerCase()}.${el.className} ` +
      `[${Math.round(box.left)}, ${Math.round(box.right)}] ${el.textContent.trim().slice(0, 40)}`;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    wide: culprits.slice(0, 5).map(describe),
    hiddenShown: Array.from(document.querySelectorAll("[hidden]"))
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => el.outerHTML.slice(0, 100)),
  };
}"""


def sign_in(page, email: str) -> None:
    page.goto("/en/accounts/login/")
    main = page.get_by_role("main")
    main.locator("input[name=login]").fill(email)
    main.locator("input[name=password]").fill(PASSWORD)
    main.locator("button[type=submit]").first.click()
    expect(page.locator("a[href$='/accounts/logout/']").first).to_be_attached()


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_fit_a_phone_screen_and_hide_what_is_hidden(browser, server, language):
    context = browser.new_context(base_url=server.base_url, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, "participant@example.org")  # "My contributions" needs an account
        problems = []
        for template in PAGES:
            path = template.format(lang=language)
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{path}: {response}"
            page.wait_for_load_state("load")
            found = page.evaluate(MEASURE)
            if found["scrollWidth"] > found["innerWidth"]:
                problems.append(
                    f"{path} is {found['scrollWidth']} px wide on a {found['innerWidth']} px "
                    f"screen: {found['wide']}"
                )
            if found["hiddenShown"]:
                problems.append(f"{path} shows elements marked hidden: {found['hiddenShown']}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_a_wide_table_scrolls_in_its_own_focusable_region(browser, server):
    """The Chinese response to comments is wider than a phone: it scrolls inside a region a
    keyboard can reach and scroll, with a visible focus, not the page."""
    context = browser.new_context(base_url=server.base_url, viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto("/zh-hans/consultations/contained-use-laboratory-guideline/")
        region = page.locator(".table-scroll:has(table.responses)")
        expect(region).to_have_attribute("tabindex", "0")
        sizes = region.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
        assert sizes[0] > sizes[1], "the table fits: this test no longer shows anything"
        region.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        # Keyboard scrolling is animated: wait for it rather than read it at once.
        page.wait_for_function("(el) => el.scrollLeft !== 0", arg=region.element_handle())
        outline = region.evaluate("(el) => getComputedStyle(el).outlineStyle")
        assert outline != "none"
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()
