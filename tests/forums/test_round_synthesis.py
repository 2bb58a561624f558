"""The moderator's round synthesis: participants by category, posts per thread, the main
points with links to the posts; published posts only; moderators only; a fixed cost."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.moderation import ModerationStatus
from core.synthesis import plain
from forums.models import Post
from forums.synthesis import round_synthesis

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db

TOPICS = [
    "Public access to information on LMOs must be improved through the Clearing-House.",
    "Access to information about LMO decisions should be free for the public.",
    "公众参与需要更早开始。公众参与应该在决定之前进行。",
    "公众参与的时间太短，公众参与需要更长的时间。",
]


@pytest.fixture
def group():
    return make_group(state="open")


@pytest.fixture
def moderator(group):
    return make_moderator(group)


@pytest.fixture
def posts(group):
    ngo = make_participant(group.forum, stakeholder_category="ngo")
    party = make_participant(group.forum, stakeholder_category="party")
    english = make_thread(group, ngo, title="Access to information")
    chinese = make_thread(group, party, title="公众参与")
    made = [
        make_post(english, ngo, body=TOPICS[0]),
        make_post(english, party, body=TOPICS[1]),
        make_post(chinese, party, body=TOPICS[2]),
        make_post(chinese, ngo, body=TOPICS[3]),
    ]
    for status in (ModerationStatus.PENDING, ModerationStatus.HIDDEN, ModerationStatus.REJECTED):
        make_post(english, ngo, body=f"Canary{status} access information public.", status=status)
    return made


def test_the_round_synthesis_groups_the_published_posts_with_links(group, posts, moderator):
    client = Client()
    client.force_login(moderator)
    response = client.get(reverse("forums:summary", args=[group.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Participants by stakeholder category" in html and "NGO or civil society" in html
    for post in posts:
        assert f"#post-{post.pk}" in html
    for status in ("pending", "hidden", "rejected"):
        assert f"Canary{status}" not in html
    result = round_synthesis(group)
    assert result["posts"] == 6  # two opening posts and four replies
    assert result["participants"] == 2
    assert {c["n"] for c in result["categories"]} == {1}
    refs = {frozenset(g.refs) for g in result["synthesis"].groups}
    assert frozenset({str(posts[2].pk), str(posts[3].pk)}) in refs
    bodies = {str(p.pk): plain(p.body) for p in Post.objects.filter(group=group).public()}
    for g in result["synthesis"].groups:
        for q in g.quotes:
            assert q.text in bodies[q.ref]


def test_an_empty_summary_starts_from_the_draft_without_quotes(group, posts, moderator):
    client = Client()
    client.force_login(moderator)
    html = client.get(reverse("forums:summary", args=[group.pk])).content.decode()
    textarea = html.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert "Main points" in textarea and f"#post-{posts[0].pk}" in textarea
    assert "Clearing-House" not in textarea  # links, not quotes


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_only_the_groups_moderators_see_the_round_synthesis(group, posts, who):
    client = Client()
    if who == "participant":
        client.force_login(make_participant(group.forum))
    response = client.get(reverse("forums:summary", args=[group.pk]))
    assert response.status_code in (302, 403, 404)
    assert b"Participants by stakeholder category" not in response.content


def test_the_round_synthesis_costs_the_same_queries_for_few_or_many_posts(group, moderator):
    def count():
        with CaptureQueriesContext(connection) as captured:
            round_synthesis(group)
        return len(captured)

    thread = make_thread(group)
    for n in range(3):
        make_post(thread, body=f"{TOPICS[n % 2]} ({n})")
    few = count()
    for n in range(30):
        make_post(thread, body=f"{TOPICS[n % 4]} ({n})")
    assert count() <= few


def test_an_empty_round_has_an_empty_synthesis(group, moderator):
    client = Client()
    client.force_login(moderator)
    response = client.get(reverse("forums:summary", args=[group.pk]))
    assert response.status_code == 200
    assert "No published post yet." in response.content.decode()
