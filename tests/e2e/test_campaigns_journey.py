"""An officer works a campaign in a real browser (issue 15): from the officers' screen to
the campaigns, the English campaign of the demo with each copy's addition highlighted, a
response given once to every member, one member split out. axe on every page."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import serve_demo
from .test_consultations_journey import OPEN_TITLE, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # Its own server: the journey answers and splits the demo's campaign.
    with serve_demo(tmp_path_factory.mktemp("e2e-campaigns")) as running:
        yield running


def test_officer_answers_a_campaign_once_and_splits_a_member_out(browser, server):
    context = browser.new_context(base_url=server.base_url, locale="en-GB")
    officer = context.new_page()
    sign_in(officer, "officer@example.org", "biosafety-demo")
    officer.goto("/en/consultations/")
    officer.get_by_role("link", name=OPEN_TITLE).click()
    officer.get_by_role("link", name="Manage comments (officers)").click()
    officer.get_by_role("main").get_by_role("link", name="Campaigns").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Campaigns")
    expect(officer.locator("#campaign-counts")).to_contain_text("2 campaigns (6 comments)")
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
