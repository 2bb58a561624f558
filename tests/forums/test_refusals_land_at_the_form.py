"""Refused forum forms bring the person back to the form with a summary of what went wrong
(issue 12, item 2); a refused moderation decision stays at the post it was about."""

import pytest
from django.urls import reverse

from core.moderation import ModerationStatus

from .factories import make_moderator, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_empty_reply_is_summarised_at_the_reply_form(client, thread, participant):
    client.force_login(participant)
    response = client.post(
        reverse("forums:reply", args=[thread.group_id, thread.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('<section id="reply"') :]
    assert "data-error-summary" in form
    assert '<a href="#id_body">Your post: Please write something before sending.</a>' in form
    assert f'action="{reverse("forums:reply", args=[thread.group_id, thread.pk])}#reply"' in form


def test_refused_rejection_on_the_thread_page_shows_the_error_at_that_post(client, premod_group):
    moderator = make_moderator(premod_group)
    thread = make_thread(premod_group)
    post = make_post(thread, status=ModerationStatus.PENDING, body="Queued words")
    client.force_login(moderator)
    response = client.post(
        reverse("forums:moderate_post", args=[post.pk]),
        {"action": "reject", "next": thread.get_absolute_url()},
    )
    assert response.status_code == 400  # the thread again, not a redirect to its top
    html = response.content.decode()
    item = html[html.index(f'id="post-{post.pk}"') :]
    item = item[: item.index("</li>")]
    assert '<details class="moderate" open>' in item
    assert "data-error-summary" in item and "Please give a reason" in item
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.PENDING


def test_refused_rejection_in_the_queue_shows_the_error_at_that_item(client, premod_group):
    moderator = make_moderator(premod_group)
    post = make_post(make_thread(premod_group), status=ModerationStatus.PENDING)
    client.force_login(moderator)
    response = client.post(reverse("forums:moderate_post", args=[post.pk]), {"action": "reject"})
    assert response.status_code == 400
    html = response.content.decode()
    item = html[html.index(f'id="queue-post-{post.pk}"') :]
    assert "Please give a reason" in item[: item.index("</li>")]
    assert f'#queue-post-{post.pk}"' in item  # the form's action returns to this item


def test_moderation_decision_returns_to_the_post(client, premod_group):
    moderator = make_moderator(premod_group)
    thread = make_thread(premod_group)
    post = make_post(thread, status=ModerationStatus.PENDING)
    client.force_login(moderator)
    response = client.post(
        reverse("forums:moderate_post", args=[post.pk]),
        {"action": "approve", "next": thread.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}#post-{post.pk}"
