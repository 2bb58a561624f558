"""The demo forum: live on load, in both moderation modes and both languages, idempotent;
and what the home page and the header show from it."""

import re

import pytest
from django.core.cache import cache

from accounts.models import User
from core.moderation import ModerationStatus
from forums.demo import demo_load
from forums.models import DiscussionGroup, Flag, Forum, Post, Registration, Thread
from forums.selectors import nav_link, rounds_for_home

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_demo_forum_is_live_in_both_modes_and_languages(demo):
    forum = Forum.objects.get()
    groups = list(DiscussionGroup.objects.order_by("number"))
    assert [g.moderation_mode for g in groups] == ["post", "pre"]
    assert all(g.is_open for g in groups)
    assert all(g.questions and g.lead_partners for g in groups)
    assert len(forum.partners) == 9  # the 2012 forum's nine partner organisations
    moderator = User.objects.get(email="moderator@example.org")
    assert all(moderator in g.moderators.all() for g in groups)
    bodies = list(Post.objects.values_list("body", flat=True))
    assert any(CJK.search(b) for b in bodies) and any(not CJK.search(b) for b in bodies)
    categories = set(Registration.objects.approved().values_list("stakeholder_category", flat=True))
    assert len(categories) >= 6
    assert Post.objects.filter(moderation_status=ModerationStatus.PENDING).exists()
    assert Post.objects.filter(moderation_status=ModerationStatus.HIDDEN).exists()
    assert Flag.objects.exists() and Registration.objects.pending().exists()
    participant = User.objects.get(email="participant@example.org")
    assert Registration.objects.get(user=participant).is_approved


def test_loading_the_demo_twice_creates_nothing_new(demo):
    counts = [
        m.objects.count() for m in (Forum, DiscussionGroup, Thread, Post, Registration, Flag, User)
    ]
    users = {u.email: u for u in User.objects.all()}
    demo_load(home=demo["home"], users=users)
    assert counts == [
        m.objects.count() for m in (Forum, DiscussionGroup, Thread, Post, Registration, Flag, User)
    ]


def test_home_lists_open_rounds_in_two_queries(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        items = rounds_for_home()
    assert len(items) == 2
    assert all(
        item.url.startswith("/en/forums/groups/") and "open until" in item.note for item in items
    )


def test_header_link_appears_once_a_forum_exists_and_is_cached(db, django_assert_num_queries):
    cache.clear()
    assert nav_link() is None
    Forum.objects.create(title="F", slug="f")
    cache.clear()
    label, url = nav_link()
    assert url == "/en/forums/"
    with django_assert_num_queries(0):
        nav_link()


def test_home_page_shows_the_open_rounds(demo, client):
    page = client.get("/en/").content.decode()
    assert "Promoting public access to biosafety information" in page
