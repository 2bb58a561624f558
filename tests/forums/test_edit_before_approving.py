"""Moderators edit a pending post in the same plain text box participants write in, not its
stored HTML (issue 12, item 6); an unchanged text is not an edit."""

import re

import pytest
from django.urls import reverse

from core.moderation import ModerationStatus
from forums.text import body_to_editable, body_to_html

from .factories import make_moderator, make_post, make_thread

pytestmark = pytest.mark.django_db

TYPED = "Radio works in rural areas.\nAlso SMS.\n\nSee https://example.org/a?b=1&c=2 & more < less"


@pytest.mark.parametrize(
    "typed",
    [TYPED, "一段中文。\n\n第二段。", "Visit www.example.org now", "just one line"],
)
def test_the_editable_text_is_what_the_author_typed(typed):
    assert body_to_editable(body_to_html(typed)) == typed


def test_a_post_written_with_markup_is_kept_as_written():
    html = body_to_html("<ul><li>one</li><li>two</li></ul>")
    assert body_to_editable(html) == html


def _pending(premod_group):
    thread = make_thread(premod_group)
    return make_post(thread, status=ModerationStatus.PENDING, body=body_to_html(TYPED))


def test_queue_offers_the_plain_text_and_an_unchanged_text_is_no_edit(client, premod_group):
    post = _pending(premod_group)
    client.force_login(make_moderator(premod_group))
    html = client.get(reverse("forums:queue", args=[premod_group.pk])).content.decode()
    textarea = re.search(r"<textarea name=\"body\"[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert "&lt;p&gt;" not in textarea and "Also SMS." in textarea
    response = client.post(
        reverse("forums:moderate_post", args=[post.pk]),
        {"action": "approve", "body": TYPED.replace("\n", "\r\n"), "note": ""},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_published and post.edit_count == 0


def test_an_edited_plain_text_is_stored_as_clean_paragraphs(client, premod_group):
    post = _pending(premod_group)
    client.force_login(make_moderator(premod_group))
    client.post(
        reverse("forums:moderate_post", args=[post.pk]),
        {"action": "approve", "body": "Radio works.\n\nPhone number removed.", "note": "PII"},
    )
    post.refresh_from_db()
    assert post.body == "<p>Radio works.</p>\n\n<p>Phone number removed.</p>"
    assert post.edit_count == 1


def test_the_author_edits_plain_text_too(client, thread, participant):
    post = make_post(thread, participant, body=body_to_html(TYPED))
    client.force_login(participant)
    html = client.get(reverse("forums:post_edit", args=[post.pk])).content.decode()
    assert "Also SMS." in html and "&lt;p&gt;Radio" not in html
