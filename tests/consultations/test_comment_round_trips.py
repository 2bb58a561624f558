"""A comment POST goes to Redis once before its insert: the session, the page's intake facts,
the author's account and profile, and the count against the rate limit, together
(core.read_together; the author guessed from the account the session was last seen signed in
to, core.sessions). A wrong guess costs a read, never a wrong answer, and never a count on
someone else's allowance; a count the comment did not use is given back."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from consultations.models import Comment
from core import sessions
from tests.core.test_read_together import needs_redis, redis_commands_sent, redis_round_trips

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


def allowance_used(user) -> int:
    return cache.get(f"ratelimit:consultation-comment:{user.pk}") or 0


def test_one_round_trip_to_redis_before_the_insert(consultation, author):
    client = Client()
    client.force_login(author)
    assert post(client, consultation, "<p>First, to warm the caches.</p>").status_code == 302
    with redis_round_trips() as trips, redis_commands_sent() as sent:
        response = post(client, consultation, "<p>Second: one read.</p>")
    assert response.status_code == 302
    assert Comment.objects.filter(author=author).count() == 2
    assert len(trips) == 1, trips
    keys = " ".join(trips[0])
    assert client.session.session_key in keys
    assert ":consultations:intake-page:" in keys
    assert f":accounts:participant:{author.pk}" in keys
    assert ":accounts:signed-in:" in keys
    assert f":ratelimit:consultation-comment:{author.pk}" in keys
    # The rate limit's count went in that round trip; after it, only the follow-up's hand-over.
    assert b"MGET" in sent[0] and b"EVAL" in sent[0]
    assert not [trip for trip in sent[1:] if b"EVAL" in trip or b"MGET" in trip], sent
    assert allowance_used(author) == 2  # one count per comment stored


def test_refused_comments_give_their_count_back(consultation, author, settings):
    settings.CONSULTATIONS_COMMENT_RATE = "2/60"
    client = Client()
    client.force_login(author)
    assert post(client, consultation, "<p>Stored.</p>").status_code == 302
    for _ in range(3):  # counted ahead each time, refused before the rate limit's question
        with redis_commands_sent() as sent:
            assert post(client, consultation, "   ").status_code == 400
        assert b"EVAL" in sent[0]  # counted with the first read…
    assert allowance_used(author) == 1  # …and given back
    assert post(client, consultation, "<p>Second, within the allowance.</p>").status_code == 302
    assert post(client, consultation, "<p>Third: over it.</p>").status_code == 429
    assert Comment.objects.filter(author=author).count() == 2


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
    # The count made ahead for the guess is given back; the author's comment counted once.
    assert cache.get(f"ratelimit:consultation-comment:{other.pk}") == 0  # counted, given back
    assert allowance_used(author) == 2
