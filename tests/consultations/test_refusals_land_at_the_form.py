"""A refused form brings the person back to it, with a summary of what went wrong (issue 12,
item 2): the form's action carries its #anchor, the summary links each error to its field, a
file must be chosen again and the page says so; officers stay at the comment they handled."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .factories import commenter, submit

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(
        r'<div class="error-summary" role="alert"[^>]*data-error-summary.*?</div>', html, re.S
    )
    assert match, "no error summary on the page"
    return match.group(0)


def test_refused_upload_summarises_the_errors_and_asks_for_the_file_again(client, consultation):
    client.force_login(commenter())
    response = client.post(
        reverse("consultations:comment_create", args=[consultation.pk]),
        {
            "token": str(uuid.uuid4()),
            "section": "",
            "body": "The field studies are not cited.",
            "attachment": SimpleUploadedFile("report.pdf", b"MZ\x90 not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = _summary(html)
    # Each error is a link to its field, named by its label.
    assert (
        'href="#id_attachment">Attachment (PDF, optional): The attached file is not a PDF'
        in summary
    )
    # The picker is empty after a refusal: the page says to choose the file again, beside it.
    assert "The file you chose was not kept: please choose it again." in summary
    assert re.search(r'id="id_attachment_error">.*choose it again', html, re.S)
    # Without JavaScript the browser comes back to the form.
    assert f'action="/en/consultations/{consultation.pk}/comment/#comment-form"' in html


def test_a_form_without_a_file_does_not_mention_files(client, consultation):
    client.force_login(commenter())
    response = client.post(
        reverse("consultations:comment_create", args=[consultation.pk]),
        {"token": str(uuid.uuid4()), "section": "", "body": ""},
    )
    assert response.status_code == 400
    assert "choose it again" not in response.content.decode()


def test_officer_decision_returns_to_the_comment_with_filter_and_page(
    client, consultation, officer_user
):
    comment = submit(consultation, commenter())
    client.force_login(officer_user)
    response = client.post(
        reverse("consultations:moderate", args=[comment.pk]),
        {f"m{comment.pk}-decision": "published", "show": "pending", "page": "2"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("consultations:manage", args=[consultation.pk])
        + f"?show=pending&page=2#row-{comment.reference}"
    )


def test_refused_officer_decision_shows_the_summary_in_that_comments_form(
    client, consultation, officer_user
):
    comment = submit(consultation, commenter(), confidential=True, confidential_justification="CBI")
    other = submit(consultation, commenter())
    client.force_login(officer_user)
    response = client.post(
        reverse("consultations:moderate", args=[comment.pk]),
        {f"m{comment.pk}-decision": "published"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    row = html[
        html.index(f'id="row-{comment.reference}"') : html.index(f'id="row-{other.reference}"')
    ]
    assert "asked that this comment not be published" in _summary(row)
    assert html.count("data-error-summary") == 1
    assert f'#row-{comment.reference}"' in row  # the form's action brings the officer back here
