"""A page's query count does not grow with its content: 3 items or 30, the same count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.moderation import ModerationStatus
from forums.models import Flag, ModerationMode

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db

# queries per page, whatever its size (signed-in moderator: session, user, roles, …), with a
# cold cache: the header's links to the three areas cost 8 of them until they are cached (the
# courses' and consultations' links ask the visibility policy whether a public index exists:
# live, and no view restriction on it).
HEADER = 8
BUDGETS = {
    page: count + HEADER
    for page, count in {
        "index": 7,
        "forum": 13,  # + whether the reader follows the forum ("Notify me of every round")
        "group": 10,  # + whether the reader follows the round ("Notify me")
        "thread": 10,
        "queue": 13,
        "statistics": 16,
    }.items()
}


def _fill(group, n, moderator):
    people = [make_participant(group.forum) for _ in range(3)]
    for i in range(n):
        thread = make_thread(group, people[i % 3], pinned=i == 0)
        reply = make_post(thread, people[(i + 1) % 3], reply_to=thread.posts.first(), quote="Post")
        make_post(thread, people[(i + 2) % 3], status=ModerationStatus.PENDING)
        Flag.objects.create(post=reply, reporter=people[i % 3], reason_code="spam")
    return thread


def _count(client, url) -> int:
    cache.clear()  # the header's cached forum link costs its query on both sizes alike
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_queries_do_not_grow_with_content(client, page, django_assert_num_queries):
    counts = []
    for n in (3, 30):
        group = make_group(mode=ModerationMode.PRE)
        moderator = make_moderator(group)
        thread = _fill(group, n, moderator)
        client.force_login(moderator)
        url = {
            "index": reverse("forums:index"),
            "forum": group.forum.get_absolute_url(),
            "group": group.get_absolute_url(),
            "thread": thread.get_absolute_url(),
            "queue": reverse("forums:queue", args=[group.pk]),
            "statistics": reverse("forums:statistics", args=[group.forum.slug]),
        }[page]
        counts.append(_count(client, url))
        if n == 30:
            cache.clear()
            with django_assert_num_queries(BUDGETS[page], info=page):
                client.get(url)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("viewer", ["anonymous", "moderator"])
def test_socket_catch_up_queries_do_not_grow_with_the_events_it_rebuilds(viewer, settings):
    """Catch-up rebuilds every missed event from the current state (issue 11): the group, the
    events, their posts, the posts these reply to, their threads and their authors, one query
    each whatever their number."""
    from django.contrib.auth.models import AnonymousUser

    from forums import live, services

    settings.FORUMS_POST_RATE = "1000/60"
    counts = []
    for n in (3, 30):
        group = make_group(mode=ModerationMode.POST)
        moderator = make_moderator(group)
        author = make_participant(group.forum)
        for i in range(n):
            thread = services.thread_create(group=group, author=author, title=f"T{i}", body="x")
            opening = thread.posts.get()
            services.post_create(
                thread=thread, author=moderator, body=f"reply {i}", reply_to=opening, quote="x"
            )
            services.post_hide(post=opening, actor=moderator, reason_code="spam")
        user = moderator if viewer == "moderator" else AnonymousUser()
        with CaptureQueriesContext(connection) as queries:
            sent = live.catch_up(
                group_id=group.pk, after=0, user=user, moderator=viewer == "moderator"
            )
        assert len(sent["events"]) >= 3 * n
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts
