"""CONSULTATIONS_FOLLOWUP = "worker": the web worker hands a stored comment's follow-up (search
entry, campaign, receipt) to `manage.py consultations_followup` over Redis; without Redis, or
with Redis away, it follows the comment up itself, so no receipt is lost (issue 16)."""

import os
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from consultations import followup
from consultations.models import Comment
from search.models import SearchEntry

from .factories import commenter, make_consultation, submit

pytestmark = pytest.mark.django_db

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)"
)


def _run_worker() -> str:
    out = StringIO()
    call_command("consultations_followup", "--once", stdout=out)
    return out.getvalue()


@pytest.fixture
def by_worker(settings):
    settings.CONSULTATIONS_FOLLOWUP = "worker"
    # Taken now: a test may point REDIS_URL at a dead port.
    client, key = followup._redis(), followup._key()
    client.delete(key)
    yield
    client.delete(key)


@needs_redis
def test_the_worker_sends_the_receipt_and_indexes_the_comment(
    by_worker, home, django_capture_on_commit_callbacks
):
    page = make_consultation(home, moderation_mode="post")
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(page, commenter(), body="<p>Quarantine zebrafollowup</p>")
    # Answered and stored; nothing of the follow-up has run in the web worker.
    assert mail.outbox == []
    assert followup.waiting() == 1
    assert "1 comments followed up" in _run_worker()
    comment.refresh_from_db()
    assert comment.receipt_sent_at is not None
    assert [m.to for m in mail.outbox] == [[comment.author.email]]
    assert SearchEntry.objects.filter(source="consultations.comment", object_id=comment.pk).exists()
    assert followup.waiting() == 0


@needs_redis
def test_a_comment_queued_twice_gets_one_receipt(
    by_worker, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(consultation, commenter())
    followup.hand_over([comment.pk])  # a retry that queued it again
    _run_worker()
    _run_worker()
    assert len(mail.outbox) == 1


@needs_redis
def test_with_redis_away_the_web_worker_follows_up_itself(
    by_worker, settings, consultation, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(consultation, commenter())
    comment.refresh_from_db()
    assert comment.receipt_sent_at is not None and len(mail.outbox) == 1


def test_without_redis_the_setting_falls_back_to_after_the_response(
    settings, consultation, django_capture_on_commit_callbacks
):
    settings.CONSULTATIONS_FOLLOWUP = "worker"
    settings.REDIS_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(consultation, commenter())
    assert Comment.objects.get(pk=comment.pk).receipt_sent_at is not None
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="CONSULTATIONS_FOLLOWUP"):
        call_command("consultations_followup", "--once")


@needs_redis
def test_a_batch_handed_over_at_once_is_taken_oldest_first(by_worker):
    # The background thread hands over every comment answered since it last ran, in one push.
    assert followup.hand_over([11, 12, 13])
    assert followup.hand_over([14])
    assert followup.take(0.1) == [11, 12, 13, 14]
