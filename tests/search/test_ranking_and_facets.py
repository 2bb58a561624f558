"""Ranking (title before headings before body, recent before old), facets, pages, and a
query budget that does not grow with the content."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums.models import Post
from tests.consultations.factories import make_consultation
from tests.forums.factories import make_group, make_post, make_thread

from .conftest import index_all, search
from .factories import course_tree, forum_thread


def test_a_title_match_ranks_before_headings_before_body(client, home):
    body_only = course_tree(
        home,
        lesson="Documents at the border",
        body=[
            {"type": "paragraph", "value": "<p>" + "Sampling of grain shipments. " * 20 + "</p>"}
        ],
    )
    in_heading = course_tree(
        home,
        lesson="Checks at the port",
        body=[{"type": "heading", "value": {"text": "Sampling", "level": "2"}}],
    )
    in_title = course_tree(home, lesson="Sampling")
    _r, results = search(client, "sampling", kind="lesson")
    assert [r.entry.object_id for r in results] == [in_title.pk, in_heading.pk, body_only.pk]


def test_recent_posts_come_before_old_ones_when_scores_tie(client, db):
    group = make_group(state="open")
    thread = make_thread(group, title="Rounds")
    now = timezone.now()
    old = make_post(thread, body="Labelling of bulk grain", created_at=now - timedelta(days=40))
    new = make_post(thread, body="Labelling of bulk grain", created_at=now - timedelta(days=1))
    index_all()
    _r, results = search(client, "labelling bulk grain", kind="post")
    assert [r.entry.object_id for r in results] == [new.pk, old.pk]


@pytest.fixture
def mixed(home):
    """Content of every area mentioning "maize", in two languages, of several ages and
    consultation states."""
    course_tree(home, lesson="Maize shipments")
    course_tree(home, "zh-hans", lesson="玉米 maize 的装运")
    thread = forum_thread(title="Maize imports", body="Maize again")
    long_ago = timezone.now() - timedelta(days=400)
    Post.objects.filter(thread=thread).update(created_at=long_ago)
    type(thread).objects.filter(pk=thread.pk).update(created_at=long_ago, published_at=long_ago)
    for state in ("upcoming", "open", "closed", "outcome"):
        make_consultation(home, state=state, title=f"Maize decision ({state})")
    index_all()


def facet(results_page, name) -> dict[str, int]:
    return {v.value: v.count for v in results_page.context["found"].facets[name]}


def test_facets_count_each_area_language_type_and_state(client, mixed):
    response, _results = search(client, "maize")
    assert facet(response, "area") == {"courses": 2, "forums": 2, "consultations": 4}
    assert facet(response, "language") == {"en": 7, "zh-hans": 1}
    assert facet(response, "kind") == {"lesson": 2, "thread": 1, "post": 1, "consultation": 4}
    assert facet(response, "state") == {"upcoming": 1, "open": 1, "closed": 1, "outcome": 1}
    # Lessons were published now; consultations date from their opening (in 2 days, 2 and
    # 30 days ago); the forum thread and post are 400 days old.
    assert facet(response, "date") == {"week": 4, "month": 6, "year": 6}


def test_choosing_a_facet_narrows_results_and_keeps_the_others_choices(client, mixed):
    response, results = search(client, "maize", area="consultations", state=["open", "closed"])
    assert sorted(r.entry.title for r in results) == [
        "Maize decision (closed)",
        "Maize decision (open)",
    ]
    # Each facet counts under the other facets' choices, and offers its own alternatives.
    assert facet(response, "area") == {"consultations": 2}
    assert facet(response, "state") == {"upcoming": 1, "open": 1, "closed": 1, "outcome": 1}
    html = response.content.decode()
    assert 'aria-current="true"' in html
    _r, results = search(client, "maize", language="en", date="year")
    assert {r.entry.kind for r in results} == {"lesson", "consultation"}
    _r, results = search(client, "maize", kind="post")
    assert [r.entry.kind for r in results] == ["post"]


def test_results_come_in_pages(client, db):
    group = make_group(state="open")
    thread = make_thread(group, title="Rounds")
    for n in range(23):
        make_post(thread, body=f"Sampling report {n}")
    index_all()
    response, results = search(client, "sampling report")
    found = response.context["found"]
    assert (found.total, found.pages, len(results)) == (23, 3, 10)
    assert 'rel="next"' in response.content.decode()
    _r, page3 = search(client, "sampling report", page="3")
    assert len(page3) == 3
    _r, beyond = search(client, "sampling report", page="99")
    assert [r.entry.pk for r in beyond] == [r.entry.pk for r in page3]
    _r, page2 = search(client, "sampling report", page="2")
    assert len({r.entry.pk for r in results + page2 + page3}) == 23


@pytest.mark.parametrize("role", ["anonymous", "moderator"])
def test_the_number_of_queries_does_not_grow_with_the_content(client, db, role):
    from tests.forums.factories import make_moderator

    group = make_group(state="open")
    thread = make_thread(group, title="Rounds")
    if role == "moderator":
        client.force_login(make_moderator(group))

    search(client, "warm")  # the header's cached links

    def count(n):
        for i in range(n):
            make_post(thread, body=f"Grain sampling note {i}")
        index_all()
        with CaptureQueriesContext(connection) as queries:
            search(client, "grain sampling")
        return len(queries)

    assert count(3) == count(30) <= 12
