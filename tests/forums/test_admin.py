"""Forums in the Wagtail admin: editors of the site set forums and rounds up there, and each
moderator finds the queues of the groups they moderate."""

import pytest
from django.urls import reverse

from accounts.models import User
from core.moderation import ModerationStatus
from forums.models import DiscussionGroup

from .factories import make_group, make_moderator, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_a_superuser_creates_a_round_and_closing_before_opening_is_refused(client, open_group):
    admin = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    client.force_login(admin)
    assert client.get(reverse("forums_forum:index")).status_code == 200
    data = {
        "forum": open_group.forum.pk,
        "number": 2,
        "theme": "Promoting access",
        "moderation_mode": "pre",
        "opens_at": "2030-05-02 09:00",
        "closes_at": "2030-05-01 09:00",
    }
    response = client.post(reverse("forums_group:add"), data)
    assert response.status_code == 200  # the form again, with the error
    assert DiscussionGroup.objects.count() == 1
    data["closes_at"] = "2030-05-16 09:00"
    assert client.post(reverse("forums_group:add"), data).status_code == 302
    assert DiscussionGroup.objects.get(theme="Promoting access").is_premoderated


def test_moderators_see_their_own_queues_with_counts(client, premod_group):
    moderator = make_moderator(premod_group)
    other = make_group(theme="Somebody else's round")
    make_post(make_thread(premod_group), status=ModerationStatus.PENDING)
    client.force_login(moderator)
    page = client.get(reverse("forums_moderation")).content.decode()
    assert premod_group.theme in page and other.theme not in page
    assert reverse("forums:queue", args=[premod_group.pk]) in page


def test_a_moderator_id_beyond_any_record_is_refused_not_a_server_error(client, open_group):
    """Found by the URL sweep: a huge id among the chosen moderators made the admin's group
    form answer 500 (the id overflowed the database's integer) instead of refusing it."""
    admin = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    client.force_login(admin)
    data = {
        "forum": open_group.forum.pk,
        "number": 2,
        "theme": "Promoting access",
        "moderation_mode": "pre",
        "opens_at": "2030-05-02 09:00",
        "closes_at": "2030-05-16 09:00",
        "moderators": ["99999999999999999999999"],
    }
    response = client.post(reverse("forums_group:add"), data)
    assert response.status_code == 200  # the form again, with the error on the field
    assert "moderators" in response.context["form"].errors
    assert not DiscussionGroup.objects.filter(theme="Promoting access").exists()
    edit = reverse("forums_group:edit", args=[open_group.pk])
    assert client.post(edit, {**data, "moderators": ["-99999999999999999999"]}).status_code == 200
