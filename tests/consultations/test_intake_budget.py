"""A comment's answer costs a fixed, small number of queries; its search entry, campaign and
receipt come after the commit, outside the counter's lock (issue 16)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Comment
from search.models import SearchEntry

from .factories import commenter, make_consultation

pytestmark = pytest.mark.django_db

# Warm, the answer reads the account, then numbers and stores the comment. PostgreSQL: in one
# statement (in a test's transaction, inside a savepoint: 4 queries, 2 in production); the
# page, its privacy rows, the verified address and the profile come from the cache. SQLite:
# the counter's UPDATE … RETURNING, the period and the page read again from their rows, and
# the INSERT, in a transaction (7). Plus the session's row where sessions are not kept in
# Redis. The same-form token is looked up only on a refusal or when the insert meets its
# constraint.
ANSWER_BUDGET = {"postgresql": 4, "sqlite": 7}


def _post(client, page):
    return client.post(
        reverse("consultations:comment_create", args=[page.pk]),
        {"token": str(uuid.uuid4()), "section": "", "body": "<p>Budget zebrabudget</p>"},
    )


def test_the_answer_to_a_comment_stays_within_its_query_budget(client, consultation, settings):
    # Cached facts read within PAGE_CACHE_CLOCK_SKEW of a write are not kept: on a slow
    # machine the warm-up would not warm.
    settings.PAGE_CACHE_CLOCK_SKEW = 0
    client.force_login(commenter())
    _post(client, consultation)  # warm: the counter's row exists from here
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, consultation)
    assert response.status_code == 302
    budget = ANSWER_BUDGET[connection.vendor] + (settings.SESSION_ENGINE.endswith(".db"))
    assert len(queries) <= budget, [q["sql"][:80] for q in queries]
    # Nothing of the follow-up before the answer: no search entry, campaign or mail query.
    assert not any("search_searchentry" in q["sql"] for q in queries)
    assert not any("consultations_campaign" in q["sql"] for q in queries)


def test_a_published_comment_is_indexed_once_its_transaction_has_committed(
    client, home, django_capture_on_commit_callbacks
):
    page = make_consultation(home, moderation_mode="post")
    client.force_login(commenter())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post(client, page)
    comment = Comment.objects.get(consultation=page)
    entries = SearchEntry.objects.filter(source="consultations.comment", object_id=comment.pk)
    assert not entries.exists()  # not written under the counter's lock
    for callback in callbacks:
        callback()
    assert entries.exists()
    comment.refresh_from_db()
    assert comment.receipt_sent_at is not None
