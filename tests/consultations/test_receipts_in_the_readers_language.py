"""Receipts quote the consultation in the reader's language, the comment page does not say
what the public sees of a comment the public never sees, and account e-mails greet with the
site's name (issue 12, item 9)."""

import pytest
from django.core import mail
from django.urls import reverse

from .factories import commenter, submit, translate

pytestmark = pytest.mark.django_db


def test_chinese_receipt_quotes_the_chinese_title(consultation, django_capture_on_commit_callbacks):
    chinese = translate(consultation, "zh-hans")
    reader = commenter(preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        submit(consultation, reader)
    [receipt] = mail.outbox
    assert f"“{chinese.title}”" in receipt.body
    assert f"“{consultation.title}”" not in receipt.body


def test_a_confidential_comment_page_does_not_say_what_the_public_sees(client, consultation):
    author = commenter()
    comment = submit(consultation, author, confidential=True, confidential_justification="CBI")
    client.force_login(author)
    html = client.get(reverse("consultations:comment", args=[comment.reference])).content.decode()
    assert "the public sees" not in html
    assert "this comment is not shown publicly" in html


def test_verification_mail_greets_with_the_site_name(client, settings):
    client.post(
        "/en/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "x-long-pass-1234",
            "password2": "x-long-pass-1234",
        },
    )
    [verification] = mail.outbox
    assert "Hello from Biosafety Participation Platform!" in verification.body
    assert "testserver" not in verification.body.split("\n")[0]
