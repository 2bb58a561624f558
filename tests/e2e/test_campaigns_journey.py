"""An officer works the demo's campaigns in a real browser (issue 15): from the officers'
screen to the English campaign with each copy's addition highlighted, a response given once to
every member, one member split out; then, on a fresh demo, a merge sent without a target is
refused with a message on the form, the Chinese campaign is merged into the English one, the
result is marked "not a campaign" with a reason, and the public page stops showing its text
once "with N others". axe on every page the officer sees."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import serve_demo
from .test_consultations_journey import OPEN_TITLE, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(tmp_path):
    # A server per journey: each changes the demo's campaigns.
    with serve_demo(tmp_path) as running:
        yield running


def _officer_at_campaigns(browser, server):
    context = browser.new_context(base_url=server.base_url, locale="en-GB")
    officer = context.new_page()
    sign_in(officer, "officer@example.org", "biosafety-demo")
    officer.goto("/en/consultations/")
    officer.get_by_role("link", name=OPEN_TITLE).click()
    officer.get_by_role("link", name="Manage comments (officers)").click()
    officer.get_by_role("main").get_by_role("link", name="Campaigns").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaigns")
    expect(officer.locator("#campaign-counts")).to_contain_text("2 campaigns (6 comments)")
    return context, officer


def test_officer_answers_a_campaign_once_and_splits_a_member_out(browser, server):
    context, officer = _officer_at_campaigns(browser, server)
    assert_accessible(officer)

    officer.get_by_role("link", name="C1", exact=True).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaign C1")
    added = officer.locator("article.campaign-member--substantive mark").first
    expect(added).to_contain_text("In Senegal our customs laboratory")
    assert_accessible(officer)

    respond = officer.locator("#respond")
    respond.get_by_label("Disposition").select_option("noted")
    respond.get_by_label("Response").fill("Labelling is addressed in section 3.")
    respond.get_by_role("button", name="Respond to every member").click()
    expect(officer.get_by_role("status")).to_contain_text("given to every member of C1")

    member = officer.locator("article.campaign-member").last
    reference = member.locator("h3 a").inner_text()
    member.get_by_role("button", name=f"Split {reference} out of the campaign").click()
    expect(officer.get_by_role("status")).to_contain_text(f"{reference} is now an individual")
    expect(officer.locator(f"#member-{reference}")).to_have_count(0)
    assert_accessible(officer)
    context.close()


def _public_page(browser, server):
    context = browser.new_context(base_url=server.base_url, locale="en-GB")
    reader = context.new_page()
    reader.goto("/en/consultations/")
    reader.get_by_role("link", name=OPEN_TITLE).click()
    return context, reader


def test_officer_merges_two_campaigns_then_marks_the_result_not_a_campaign(browser, server):
    context, reader = _public_page(browser, server)
    expect(reader.get_by_text("others sent this text").first).to_be_visible()
    context.close()

    context, officer = _officer_at_campaigns(browser, server)

    officer.get_by_role("link", name="C2", exact=True).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaign C2")
    merge = officer.locator("#merge")
    # Sent without choosing a campaign: refused on the form, nothing merged.
    merge.get_by_role("button", name="Merge").click()
    expect(officer.locator("#merge .errorlist")).to_be_visible()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaign C2")
    assert_accessible(officer)

    merge = officer.locator("#merge")
    merge.get_by_label("Merge into").select_option(label="C1 (3)")
    merge.get_by_role("button", name="Merge").click()
    expect(officer.get_by_role("status")).to_contain_text("C2 merged.")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaign C1")
    expect(officer.locator("article.campaign-member")).to_have_count(6)
    # Both languages' additions are still shown as additions in the merged campaign.
    expect(officer.locator("article.campaign-member mark").first).to_be_visible()
    assert_accessible(officer)

    dismiss = officer.locator("#dismiss")
    dismiss.get_by_label("Reason (kept in the audit log)").fill(
        "Two organisations' letters, not one campaign."
    )
    dismiss.get_by_role("button", name="Mark as not a campaign").click()
    expect(officer.get_by_role("status")).to_contain_text("C1 is no longer a campaign")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaigns")
    expect(officer.locator("#campaign-counts")).to_contain_text("0 campaigns (0 comments)")
    assert_accessible(officer)
    context.close()

    context, reader = _public_page(browser, server)
    expect(reader.get_by_role("heading", level=1)).to_be_visible()
    expect(reader.get_by_text("others sent this text")).to_have_count(0)
    context.close()
