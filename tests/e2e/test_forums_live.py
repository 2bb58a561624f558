"""The demo forum live in Chromium (issue 4's journey), three browser contexts at once:

a participant posts in the pre-moderated group; the moderator sees the post arrive in the
queue without reloading and approves it; the participant and an anonymous reader see it
appear without reloading. axe-core finds nothing serious on any page on the way.
"""

import sqlite3

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "biosafety-demo"
MARKER = "window.__noReload = true"
STILL_SAME_PAGE = "window.__noReload === true"


def _ids(server):
    """The pre-moderated group and its first thread, read from the server's database."""
    with sqlite3.connect(server.database) as db:
        group_id = db.execute(
            "SELECT id FROM forums_discussiongroup WHERE moderation_mode = 'pre'"
        ).fetchone()[0]
        thread_id = db.execute(
            "SELECT id FROM forums_thread WHERE group_id = ? ORDER BY created_at LIMIT 1",
            (group_id,),
        ).fetchone()[0]
    return group_id, thread_id


def _context(browser, server):
    context = browser.new_context(base_url=server.base_url, locale="en-GB")
    context.set_default_timeout(10_000)
    return context


def _sign_in(page, email):
    page.goto("/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def _live(page):
    """Wait until the page's socket has caught up (the status line says live)."""
    expect(page.locator("[data-live-status]")).to_be_visible()
    expect(page.locator("[data-live-status]")).not_to_have_class("live-status live-status--offline")


def test_a_pre_moderated_post_goes_live_for_moderator_author_and_public(browser, server):
    group_id, thread_id = _ids(server)
    thread_url = f"/en/forums/groups/{group_id}/threads/{thread_id}/"
    queue_url = f"/en/forums/groups/{group_id}/moderate/"
    contexts = [_context(browser, server) for _ in range(3)]
    try:
        participant, moderator, reader = (context.new_page() for context in contexts)

        # The moderator watches the queue; an anonymous reader watches the thread.
        _sign_in(moderator, "moderator@example.org")
        moderator.goto(queue_url)
        assert_accessible(moderator)
        _live(moderator)
        moderator.evaluate(MARKER)

        reader.goto(thread_url)
        assert_accessible(reader)
        _live(reader)
        reader.evaluate(MARKER)

        # The participant replies through the ordinary form (works without JavaScript).
        _sign_in(participant, "participant@example.org")
        participant.goto(thread_url)
        assert_accessible(participant)
        text = "Our customs school added a Clearing-House exercise to every course."
        participant.fill("textarea[name=body]", text)
        participant.click("#reply form button[type=submit]")
        participant.wait_for_load_state("load")
        mine = participant.locator("#post-list li", has_text=text)
        expect(mine).to_have_class("post post--pending")
        assert_accessible(participant)
        _live(participant)
        participant.evaluate(MARKER)
        post_id = mine.get_attribute("data-post-id")

        # Nobody else sees it yet; it arrives in the moderator's queue without reloading.
        item = moderator.locator(f"#queue-post-{post_id}")
        expect(item).to_contain_text(text)
        assert moderator.evaluate(STILL_SAME_PAGE)
        expect(reader.locator(f"#post-{post_id}")).to_have_count(0)
        assert_accessible(moderator)

        # The moderator approves it from the live-inserted form.
        item.locator("button[data-approve]").click()
        moderator.wait_for_load_state("load")
        expect(moderator.locator(f"#queue-post-{post_id}")).to_have_count(0)
        assert_accessible(moderator)

        # The author sees it published, the reader sees it appear: neither reloads.
        expect(mine).to_have_class("post post--published")
        expect(mine.locator(".badge--pending")).to_have_count(0)
        appeared = reader.locator(f"#post-{post_id}")
        expect(appeared).to_contain_text(text)
        assert participant.evaluate(STILL_SAME_PAGE)
        assert reader.evaluate(STILL_SAME_PAGE)
        assert_accessible(reader)
        assert_accessible(participant)
    finally:
        for context in contexts:
            context.close()


def test_forum_pages_are_accessible_in_both_languages(page, server):
    group_id, thread_id = _ids(server)
    for lang in ("en", "zh-hans"):
        for url in (
            f"/{lang}/forums/",
            f"/{lang}/forums/public-access-biosafety-information/",
            f"/{lang}/forums/public-access-biosafety-information/statistics/",
            f"/{lang}/forums/groups/{group_id}/",
            f"/{lang}/forums/groups/{group_id}/threads/{thread_id}/",
            f"/{lang}/forums/groups/{group_id}/report/",
        ):
            page.goto(url)
            assert_accessible(page)


def test_post_moderated_group_live_post_hide_and_round_closing(browser, server):
    """In the post-moderated group a post appears at once for a reader; when the moderator
    hides it the reader sees the placeholder; when the moderator closes the round, the
    participant's open reply form gives way to the notice, all without reloading."""
    with sqlite3.connect(server.database) as db:
        group_id = db.execute(
            "SELECT id FROM forums_discussiongroup WHERE moderation_mode = 'post'"
        ).fetchone()[0]
        thread_id = db.execute(
            "SELECT id FROM forums_thread WHERE group_id = ? ORDER BY created_at DESC LIMIT 1",
            (group_id,),
        ).fetchone()[0]
    thread_url = f"/en/forums/groups/{group_id}/threads/{thread_id}/"
    contexts = [_context(browser, server) for _ in range(3)]
    try:
        participant, moderator, reader = (context.new_page() for context in contexts)
        reader.goto(thread_url)
        _live(reader)
        reader.evaluate(MARKER)

        _sign_in(participant, "participant@example.org")
        participant.goto(thread_url)
        text = "海关需要知道在哪里查询独特标识符。"
        participant.fill("textarea[name=body]", text)
        participant.click("#reply form button[type=submit]")
        participant.wait_for_load_state("load")
        mine = participant.locator("#post-list li", has_text=text)
        expect(mine).to_have_class("post post--published")
        post_id = mine.get_attribute("data-post-id")
        _live(participant)
        participant.evaluate(MARKER)

        arrived = reader.locator(f"#post-{post_id}")
        expect(arrived).to_contain_text(text)
        expect(arrived.locator("[data-reply-link]")).to_be_hidden()  # anonymous: no form

        _sign_in(moderator, "moderator@example.org")
        moderator.goto(thread_url)
        own = moderator.locator(f"#post-{post_id}")
        own.locator("details.moderate summary").click()
        own.locator("select[name=reason_code]").select_option("off_topic")
        own.locator("input[name=reason]").fill("Please open a thread on identifiers.")
        own.locator("button[type=submit]").click()
        moderator.wait_for_load_state("load")

        expect(arrived.locator("[data-placeholder]")).to_be_visible()
        expect(arrived).not_to_contain_text(text)
        assert_accessible(reader)

        moderator.goto(f"/en/forums/groups/{group_id}/")
        moderator.click("form[action$='close-round/'] button")
        moderator.wait_for_load_state("load")
        expect(participant.locator("#reply form[data-compose]")).to_have_count(0)
        expect(participant.locator("#reply [role=status]")).to_be_visible()
        assert participant.evaluate(STILL_SAME_PAGE) and reader.evaluate(STILL_SAME_PAGE)
        assert_accessible(participant)
    finally:
        for context in contexts:
            context.close()


def test_forms_for_participants_and_moderators_are_accessible(browser, server):
    """Registration, flag, edit history, e-mail settings; the moderators' summary form,
    registrations and the admin overview's link target: axe finds nothing serious."""
    group_id, thread_id = _ids(server)
    with sqlite3.connect(server.database) as db:
        post_id = db.execute(
            "SELECT id FROM forums_post WHERE thread_id = ? ORDER BY id LIMIT 1", (thread_id,)
        ).fetchone()[0]
    slug = "public-access-biosafety-information"
    context = _context(browser, server)
    try:
        page = context.new_page()
        _sign_in(page, "facilitator@example.org")  # verified, not registered
        for url in (
            f"/en/forums/{slug}/register/",
            f"/en/forums/posts/{post_id}/flag/",
            f"/en/forums/posts/{post_id}/history/",
            "/en/forums/settings/",
        ):
            page.goto(url)
            assert_accessible(page)
        page.goto(f"/en/forums/groups/{group_id}/threads/{thread_id}/")
        expect(page.locator("#reply [data-refusal]")).to_contain_text("Register")
        context.close()
        context = _context(browser, server)
        page = context.new_page()
        _sign_in(page, "moderator@example.org")
        for url in (
            f"/en/forums/groups/{group_id}/summary/",
            f"/en/forums/{slug}/registrations/",
            f"/zh-hans/forums/groups/{group_id}/moderate/",
        ):
            page.goto(url)
            assert_accessible(page)
    finally:
        context.close()
