"""Reference numbers under concurrent submissions (issue #5, "Real components").

PostgreSQL: 50 clients × 20 comments = exactly 1,000 comments, 1,000 distinct references and
1,000 receipts. SQLite lets one writer in at a time: no comment may be lost or duplicated;
a submission that cannot get in is refused with a message (and nothing is stored for it).
"""

import threading
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections

from consultations.models import Comment
from consultations.services import comment_submit

from .factories import commenter, make_consultation


def _hammer(page, users, per_user):
    results, refusals, errors = [], [], []
    lock = threading.Lock()
    barrier = threading.Barrier(len(users))

    def client(user):
        try:
            barrier.wait()
            for n in range(per_user):
                try:
                    submission = comment_submit(
                        consultation=page,
                        author=user,
                        body=f"<p>Comment {n} by {user.pk}</p>",
                        submission_token=uuid.uuid4(),
                    )
                    with lock:
                        results.append(submission.comment.reference)
                except ValidationError as exc:
                    with lock:
                        refusals.append(exc.messages)
        except Exception as exc:  # noqa: BLE001 - reported below, with the thread's error
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, refusals, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_clients_twenty_comments_each_on_postgresql(site_shell, settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (row locks across connections): run with "
            "DATABASE_URL=postgres://… as CI does"
        )
    settings.CONSULTATIONS_COMMENT_RATE = "1000/60"
    page = make_consultation(site_shell["home"])
    users = [commenter() for _ in range(50)]
    mail.outbox.clear()
    results, refusals, errors = _hammer(page, users, 20)
    assert errors == [] and refusals == []
    assert Comment.objects.filter(consultation=page).count() == 1000
    assert len(set(results)) == 1000
    assert set(Comment.objects.values_list("reference", flat=True)) == set(results)
    assert sorted(Comment.objects.values_list("sequence", flat=True)) == list(range(1, 1001))
    receipts = [m for m in mail.outbox if "was received" in m.subject]
    assert len(receipts) == 1000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_clients_on_sqlite_never_lose_or_duplicate_a_comment(site_shell, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite counterpart of the PostgreSQL test above")
    settings.CONSULTATIONS_COMMENT_RATE = "1000/60"
    page = make_consultation(site_shell["home"])
    users = [commenter() for _ in range(8)]
    results, refusals, errors = _hammer(page, users, 10)
    assert errors == []
    # Every attempt is accounted for: stored once, or refused with a message.
    assert len(results) + len(refusals) == 80
    for messages in refusals:
        assert "nothing was saved" in messages[0]
    stored = list(Comment.objects.filter(consultation=page).values_list("reference", flat=True))
    assert sorted(stored) == sorted(results)
    assert len(set(stored)) == len(stored)
    sequences = sorted(Comment.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(stored) + 1))
