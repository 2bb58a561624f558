"""Every page of the demo forum answers, for each kind of visitor, in English and Chinese."""

import pytest
from django.urls import reverse

from accounts.models import User
from forums.models import DiscussionGroup, Forum, Post, Thread

pytestmark = pytest.mark.django_db


def _urls():
    forum = Forum.objects.get()
    group = DiscussionGroup.objects.get(number=2)
    thread = Thread.objects.filter(group=group).first()
    post = Post.objects.filter(thread=thread).first()
    return [
        reverse("forums:index"),
        forum.get_absolute_url(),
        reverse("forums:statistics", args=[forum.slug]),
        group.get_absolute_url(),
        thread.get_absolute_url(),
        reverse("forums:report", args=[group.pk]),
        reverse("forums:post_history", args=[post.pk]),
    ]


@pytest.mark.parametrize("who", [None, "participant@example.org", "moderator@example.org"])
@pytest.mark.parametrize("lang", ["en", "zh-hans", "ar"])
def test_demo_pages_answer_for_every_visitor(demo, client, who, lang):
    if who:
        client.force_login(User.objects.get(email=who))
    for url in _urls():
        url = url.replace("/en/", f"/{lang}/", 1)
        response = client.get(url)
        assert response.status_code == 200, url


def test_moderator_pages_answer_for_the_moderator(demo, client):
    client.force_login(User.objects.get(email="moderator@example.org"))
    forum = Forum.objects.get()
    group = DiscussionGroup.objects.get(number=2)
    for url in (
        reverse("forums:queue", args=[group.pk]),
        reverse("forums:summary", args=[group.pk]),
        reverse("forums:registrations", args=[forum.slug]),
        reverse("forums:posts_csv", args=[forum.slug]),
        reverse("forums:settings"),
    ):
        assert client.get(url).status_code == 200, url
