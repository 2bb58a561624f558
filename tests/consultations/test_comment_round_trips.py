"""A comment POST reads Redis once before its rate limit: the session, the page's intake facts
and the author's profile together (core.read_together; the author guessed from the account the
session was last seen signed in to, core.sessions). A wrong guess costs a read, never a wrong
answer."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Comment
from core import sessions
from tests.core.test_read_together import needs_redis, redis_round_trips

from .factories import commenter

pytestmark = [needs_redis, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SESSION_ENGINE = "core.sessions"


def post(client, page, body):
    client.cookies.pop("messages", None)
    return client.post(
        reverse("consultations:comment_create", args=[page.pk]),
        {"token": str(uuid.uuid4()), "section": "", "body": body},
    )


def test_one_read_of_redis_before_the_rate_limit(consultation, author):
    client = Client()
    client.force_login(author)
    assert post(client, consultation, "<p>First, to warm the caches.</p>").status_code == 302
    with redis_round_trips() as trips:
        response = post(client, consultation, "<p>Second: one read.</p>")
    assert response.status_code == 302
    assert Comment.objects.filter(author=author).count() == 2
    assert len(trips) == 1, trips
    keys = " ".join(trips[0])
    assert client.session.session_key in keys
    assert ":consultations:intake-page:" in keys
    assert f":accounts:participant:{author.pk}" in keys


def test_a_wrong_guess_of_the_author_reads_again_and_posts_as_the_real_one(consultation, author):
    other = commenter(display_name="Someone Else")
    client = Client()
    client.force_login(author)
    assert post(client, consultation, "<p>Warm.</p>").status_code == 302
    # This process now believes the session belongs to someone else.
    sessions._users[client.session.session_key] = str(other.pk)
    with redis_round_trips() as trips:
        response = post(client, consultation, "<p>Posted by the real author.</p>")
    assert response.status_code == 302
    assert len(trips) == 3  # the guess's read, then the real author's account, then profile
    assert Comment.objects.filter(author=author).count() == 2
    assert not Comment.objects.filter(author=other).exists()
