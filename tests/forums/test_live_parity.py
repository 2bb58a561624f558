"""What the live view adds matches what a reload shows (issue 12, item 10): a hidden post's
reason, the author's Edit link only while editable, dates in the page's language."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.moderation import ModerationStatus
from forums import services
from forums.models import ForumEvent
from forums.payloads import post_payload

from .factories import make_moderator, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_a_hidden_post_event_carries_the_public_reason_but_no_text(open_group, thread, moderator):
    post = thread.posts.get()
    services.post_hide(post=post, actor=moderator, reason_code="off_topic", reason="Not about X")
    assert ForumEvent.objects.filter(group=open_group, type="post.hidden").exists()
    # What a reader's socket is sent for it (payloads are built from the current state).
    post.refresh_from_db()
    data = post_payload(post, AnonymousUser(), moderator=False)["post"]
    assert (data["reason_code"], data["reason"]) == ("off_topic", "Not about X")
    assert "body" not in data and "author" not in data


def test_the_live_page_knows_the_reason_labels_and_the_editing_rule(client, premod_group):
    thread = make_thread(premod_group)
    client.force_login(make_moderator(premod_group))
    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'data-premoderated="1"' in html
    assert '<template id="moderation-reasons">' in html and 'data-code="off_topic"' in html


def test_the_edit_link_is_marked_for_the_live_script(client, premod_group):
    participant = make_participant(premod_group.forum)
    thread = make_thread(premod_group, participant)
    post = make_post(thread, participant, status=ModerationStatus.PENDING)
    client.force_login(participant)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{reverse("forums:post_edit", args=[post.pk])}" data-edit-link' in html
    # Pending posts tell moderators the text as typed; published ones need not.
    moderator = make_moderator(premod_group)
    assert "editable" in post_payload(post, moderator, moderator=True)["post"]
