"""A receipt lost between the answer and the mail (the process died, the mail server
refused) is sent by `manage.py consultations_receipts`, once (issue 16)."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment

from .factories import commenter, make_consultation, submit

pytestmark = pytest.mark.django_db


def _resend(**options) -> str:
    out = StringIO()
    call_command("consultations_receipts", stdout=out, **options)
    return out.getvalue()


def _lost(page, author, minutes_ago=10, **kwargs) -> Comment:
    """A comment stored and answered whose follow-up never ran (its on-commit tasks are
    dropped here, as a worker that died after answering would drop them)."""
    comment = submit(page, author, **kwargs)
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return comment


def test_a_lost_receipt_is_sent_by_the_command_once(consultation):
    author = commenter()
    comment = _lost(consultation, author)
    assert mail.outbox == []
    _resend()
    [receipt] = mail.outbox
    assert receipt.to == [author.email]
    assert comment.reference in receipt.body
    comment.refresh_from_db()
    assert comment.receipt_sent_at is not None
    _resend()
    _resend()
    assert len(mail.outbox) == 1


def test_a_receipt_sent_after_the_answer_is_not_sent_again(
    client, consultation, django_capture_on_commit_callbacks
):
    author = commenter()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("consultations:comment_create", args=[consultation.pk]),
            {"token": "7c3a2f0e-1b1d-4a8e-9a51-0d3f1e2b4c5d", "section": "", "body": "<p>Hi</p>"},
        )
    [receipt] = mail.outbox
    comment = Comment.objects.get(author=author)
    assert comment.receipt_sent_at is not None
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=10)
    )
    _resend()
    assert mail.outbox == [receipt]


def test_each_of_several_lost_receipts_goes_to_its_own_author_once(consultation):
    authors = [commenter() for _ in range(3)]
    for author in authors:
        _lost(consultation, author)
    _resend()
    _resend()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in authors)


def test_a_comment_still_being_followed_up_is_left_alone(consultation):
    comment = _lost(consultation, commenter(), minutes_ago=1)
    _resend()
    assert mail.outbox == []
    comment.refresh_from_db()
    assert comment.receipt_sent_at is None


def test_a_refused_mail_is_tried_again_on_the_next_run(consultation):
    comment = _lost(consultation, commenter())
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("mail server down")
    ):
        out = _resend()
    assert "1 receipts still not sent" in out
    assert mail.outbox == []
    comment.refresh_from_db()
    assert comment.receipt_sent_at is None
    _resend()
    assert len(mail.outbox) == 1


def test_a_deleted_account_leaves_nothing_to_send_and_nothing_pending(consultation):
    author = commenter()
    comment = _lost(consultation, author)
    author.delete()
    assert "0 receipts still not sent" in _resend()
    assert mail.outbox == []
    comment.refresh_from_db()
    assert comment.receipt_sent_at is not None


def test_the_command_also_indexes_a_published_comment_whose_follow_up_was_lost(home):
    from search.models import SearchEntry

    page = make_consultation(home, moderation_mode="post")
    comment = _lost(page, commenter())
    assert comment.is_published
    assert not SearchEntry.objects.filter(
        source="consultations.comment", object_id=comment.pk
    ).exists()
    _resend()
    assert SearchEntry.objects.filter(source="consultations.comment", object_id=comment.pk).exists()
