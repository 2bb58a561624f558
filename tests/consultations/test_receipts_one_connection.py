"""A batch of receipts, and an outcome's mails, go to the mail server over one connection
(issue 16).

In a deadline flood the follow-up sends hundreds of receipts a minute; over SMTP with TLS a
connection costs more round trips than a mail, and each receipt opened its own. A mail the
server refuses still leaves that comment's receipt for `manage.py consultations_receipts`,
and the mails after it still go.
"""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from consultations.models import Comment
from consultations.services.comments import comments_followup

from .factories import (
    close_and_publish_outcome,
    commenter,
    make_consultation,
    published_comment,
    respond,
    submit,
)

pytestmark = pytest.mark.django_db


class CountingBackend(EmailBackend):
    """The test mailbox, counting the connections made and refusing mail to `refused`."""

    made: list = []
    refused: set = set()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.made.append(self)
        self.opened = self.closed = 0

    def open(self):
        self.opened += 1
        return True

    def close(self):
        self.closed += 1

    def send_messages(self, messages):
        if any(address in self.refused for m in messages for address in m.to):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.made, CountingBackend.refused = [], set()
    return CountingBackend


def _stored(page, authors) -> list[int]:
    """Comments stored with their follow-up not yet run (as the follow-up worker takes them)."""
    return [submit(page, author).pk for author in authors]


def test_a_batch_of_receipts_goes_over_one_connection(consultation, counting):
    authors = [commenter() for _ in range(3)]
    pks = _stored(consultation, authors)
    counting.made.clear()
    comments_followup(pks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in authors)
    [connection] = counting.made
    assert connection.closed == 1
    assert Comment.objects.filter(pk__in=pks, receipt_sent_at__isnull=True).count() == 0


def test_a_refused_receipt_is_left_for_later_and_the_next_ones_still_go(consultation, counting):
    first, refused, last = authors = [commenter() for _ in range(3)]
    pks = _stored(consultation, authors)
    counting.refused = {refused.email}
    comments_followup(pks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, last.email])
    unsent = Comment.objects.filter(pk__in=pks, receipt_sent_at__isnull=True)
    assert [c.author_id for c in unsent] == [refused.pk]
    # The refusal closed the connection and opened it again for the last mail.
    [connection] = counting.made
    assert (connection.opened, connection.closed) == (2, 2)
    # The server is back: the command sends it, once.
    counting.refused = set()
    comments_followup(pks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in authors)


def test_a_mail_server_that_cannot_be_reached_leaves_every_receipt_for_later(
    consultation, counting, monkeypatch
):
    pks = _stored(consultation, [commenter() for _ in range(2)])

    def unreachable(self):
        raise OSError("connection refused")

    monkeypatch.setattr(CountingBackend, "open", unreachable)
    monkeypatch.setattr(CountingBackend, "send_messages", lambda self, m: unreachable(self))
    comments_followup(pks)
    assert mail.outbox == []
    assert Comment.objects.filter(pk__in=pks, receipt_sent_at__isnull=True).count() == 2


def test_an_outcomes_mails_to_every_commenter_go_over_one_connection(
    home, officer_user, counting, django_capture_on_commit_callbacks
):
    page = make_consultation(home)
    authors = [commenter() for _ in range(3)]
    for author in authors:
        respond(published_comment(page, author, officer_user), officer_user)
    mail.outbox.clear()
    counting.made.clear()
    with django_capture_on_commit_callbacks(execute=True):
        close_and_publish_outcome(page, officer_user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in authors)
    assert len(counting.made) == 1
