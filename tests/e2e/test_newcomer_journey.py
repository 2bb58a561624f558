"""A newcomer opens the home page, switches to 中文, signs up, follows the verification link
from the sent mail, fills in the profile; axe finds nothing serious on any page on the way.

Labels and button names are looked up the way a screen reader user would find them: by
role and accessible name, in the language the page is in. The Chinese names come from the
same message catalogues the server uses, so the test follows the translations rather than
duplicating them; only the fixture's home title is spelled out.
"""

import re
import sqlite3
import time
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from .axe import assert_accessible

pytestmark = pytest.mark.e2e

CHINESE_HOME_TITLE = "生物安全公众参与平台"  # fixtures/site.json
TAKEN_EMAIL = "participant@example.org"  # a demo user
WEAK_PASSWORD = "12345"
STRONG_PASSWORD = "lmo-border-sampling-protocol-42"
CJK = re.compile(r"[\u3400-\u9fff]")
CONFIRMATION_URL = re.compile(r"http://[^\s/]+/[\w-]+/accounts/confirm-email/[^\s/]+/")
MAIL_WAIT = 10  # seconds


def zh(message: str) -> str:
    """`message` as the server says it in Simplified Chinese."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def field(scope, label: str):
    """The form control labelled `label` (plus the form's label suffix, e.g. ":")."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*[:：]?\s*$", re.IGNORECASE))


def url(server, path: str) -> str:
    return f"{server.base_url}{path}"


def user_count(server) -> int:
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]


def mail_files(server) -> list[Path]:
    return sorted(server.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime)


def mail_to(server, address: str, about: str = ""):
    """The newest message sent to `address` (whose subject holds `about`, if given), waiting
    briefly for it: some mails (comment receipts) go after the answer, from another thread."""
    deadline = time.monotonic() + MAIL_WAIT
    while time.monotonic() < deadline:
        for path in reversed(mail_files(server)):
            # One file per SMTP-like connection; messages in it are separated by a line of dashes.
            for chunk in reversed(path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")):
                if not chunk.strip():
                    continue
                message = message_from_bytes(chunk.lstrip(), policy=policy.default)
                if address in str(message["To"]) and about in str(message["Subject"]):
                    return message
        time.sleep(0.2)
    pytest.fail(f"No mail to {address} about {about!r} in {server.mail_dir} within {MAIL_WAIT}s")


def confirmation_url(message) -> str:
    body = message.get_body(preferencelist=("plain", "html")).get_content()
    match = CONFIRMATION_URL.search(body)
    assert match, f"No confirmation link in the mail:\n{body}"
    return match.group(0)


def expect_chinese(locator) -> None:
    """The site's own words are translated, not only the content (needs the compiled catalogue)."""
    text = locator.inner_text()
    assert CJK.search(text), (
        f"{text!r} is not in Chinese: is locale/zh_Hans/LC_MESSAGES/django.mo compiled?"
    )


def expect_html(page: Page, *, lang: str, direction: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


def test_newcomer_signs_up_in_chinese_confirms_the_address_and_fills_in_the_profile(
    page: Page, server
):
    # 1. The home page, in the language the browser asks for.
    page.goto("/")
    expect(page).to_have_url(url(server, "/en/"))
    expect_html(page, lang="en", direction="ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Biosafety participation platform")
    # Each area lists its demo content: the open consultation, the open round, the course.
    for area, item in [
        ("Public consultations", re.compile("MON-89Ø34-3")),
        ("Discussion rounds", re.compile("Promoting public access to biosafety information")),
        ("Courses", re.compile("Identification and documentation of LMOs")),
    ]:
        region = page.get_by_role("region", name=area)
        expect(region.get_by_role("heading", level=2)).to_have_text(area)
        expect(region.get_by_role("link", name=item).first).to_be_visible()
    assert_accessible(page)

    # 2. The language switcher, by the language's own name.
    page.get_by_role("button", name="简体中文").click()
    expect(page).to_have_url(url(server, "/zh-hans/"))
    expect_html(page, lang="zh-hans", direction="ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(CHINESE_HOME_TITLE)
    expect(page.get_by_role("button", name="简体中文")).to_have_attribute("aria-current", "true")
    assert_accessible(page)

    # 3. Sign-up from the header: a taken address and a weak password are refused, in Chinese.
    header = page.get_by_role("navigation", name=zh("Account"))
    signup_link = header.get_by_role("link", name=zh("Sign up"), exact=True)
    expect_chinese(signup_link)
    signup_link.click()
    # The header's link brings the newcomer back to the page they came from (?next=).
    signup_url = re.compile(re.escape(url(server, "/zh-hans/accounts/signup/")) + r"(\?next=.*)?$")
    expect(page).to_have_url(signup_url)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(zh("Sign Up"))
    assert_accessible(page)

    users_before, mails_before = user_count(server), len(mail_files(server))
    field(main, zh("Email")).fill(TAKEN_EMAIL)
    field(main, zh("Password")).fill(WEAK_PASSWORD)
    field(main, zh("Password (again)")).fill(WEAK_PASSWORD)
    main.get_by_role("button", name=zh("Sign Up")).click()

    expect(page).to_have_url(signup_url)
    # Each error is tied to its field, so a screen reader reads it with the field.
    for refused in (field(main, zh("Email")), field(main, zh("Password"))):
        expect(refused).to_have_attribute("aria-invalid", "true")
        expect(refused).to_have_accessible_description(CJK)
    assert user_count(server) == users_before, "a refused sign-up created a user"
    assert len(mail_files(server)) == mails_before, "a refused sign-up sent mail"
    assert_accessible(page)

    email = f"newcomer-{uuid.uuid4().hex[:10]}@example.org"
    field(main, zh("Email")).fill(email)
    field(main, zh("Password")).fill(STRONG_PASSWORD)
    field(main, zh("Password (again)")).fill(STRONG_PASSWORD)
    main.get_by_role("button", name=zh("Sign Up")).click()

    expect(page).to_have_url(url(server, "/zh-hans/accounts/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Verify Your Email Address"))
    assert user_count(server) == users_before + 1
    assert_accessible(page)

    # 4. The link in the mail confirms the address and signs the newcomer in.
    mail = mail_to(server, email)
    assert CJK.search(mail["Subject"]), f"The mail is not in Chinese: {mail['Subject']!r}"
    link = confirmation_url(mail)
    assert link.startswith(url(server, "/zh-hans/accounts/confirm-email/")), link
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Confirm Email Address"))
    expect(page.get_by_role("main")).to_contain_text(email)
    assert_accessible(page)

    page.get_by_role("main").get_by_role("button", name=zh("Confirm")).click()
    # Signed in and back on the page the newcomer signed up from; the profile is next.
    expect(page).to_have_url(url(server, "/zh-hans/"))
    expect(header.get_by_role("link", name=zh("Sign out"))).to_be_visible()
    profile_url = url(server, "/zh-hans/profile/")
    page.goto(profile_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Your profile"))
    expect_chinese(page.get_by_role("heading", level=1))
    # Signed up in Chinese, so Chinese is preselected.
    language = field(main, zh("preferred language"))
    expect(language).to_have_value("zh-hans")
    expect(language.locator("option:checked")).to_have_text(zh("Chinese (Simplified)"))
    assert_accessible(page)

    # 5. The profile, filled in by label, is saved and stays saved.
    field(main, zh("display name")).fill("王芳")
    field(main, zh("country")).select_option("KE")
    field(main, zh("organisation")).fill("Kenya Plant Health Inspectorate Service")
    field(main, zh("stakeholder category")).select_option("party")
    field(main, zh("show my name publicly")).check()
    main.get_by_role("button", name=zh("Save profile")).click()

    expect(page).to_have_url(profile_url)
    expect(page.get_by_role("status")).to_contain_text(zh("Your profile has been saved."))
    assert_accessible(page)

    page.reload()
    expect(page.get_by_role("status")).to_have_count(0)
    expect(field(main, zh("display name"))).to_have_value("王芳")
    expect(field(main, zh("country"))).to_have_value("KE")
    expect(field(main, zh("organisation"))).to_have_value("Kenya Plant Health Inspectorate Service")
    expect(field(main, zh("stakeholder category"))).to_have_value("party")
    expect(field(main, zh("preferred language"))).to_have_value("zh-hans")
    expect(field(main, zh("show my name publicly"))).to_be_checked()
    assert_accessible(page)


def test_arabic_home_page_reads_right_to_left(page: Page, server):
    page.goto("/ar/")
    expect(page).to_have_url(url(server, "/ar/"))
    expect_html(page, lang="ar", direction="rtl")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="العربيّة")).to_have_attribute("aria-current", "true")
    assert_accessible(page)
