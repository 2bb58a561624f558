"""Art. 21: a confidential comment, and the name of a commenter who did not consent, never
appear in any public page, export, feed or live event. Each surface is tested."""

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from .factories import commenter, make_consultation, pdf_bytes, published_comment, respond, submit

pytestmark = pytest.mark.django_db

SECRET_TEXT = "UNPUBLISHED-TRIAL-DATA-7731"
SECRET_NAME = "Hidden Hallvard"
SECRET_ORG = "Quiet Seeds Ltd"
JUSTIFICATION = "JUSTIFICATION-CBI-4412"
PUBLIC_TEXT = "A public remark on labels."


@pytest.fixture
def world(home, officer_user, django_capture_on_commit_callbacks):
    page = make_consultation(home, state="open", moderation_mode="post")
    shy = commenter(
        display_name=SECRET_NAME,
        organisation=SECRET_ORG,
        country="NO",
        stakeholder_category="industry",
        show_name_publicly=False,
    )
    # Published, but the commenter did not consent to their name being shown.
    public = published_comment(page, shy, officer_user, body=f"<p>{PUBLIC_TEXT}</p>")
    respond(public, officer_user, response="Labels clarified.")
    # Under confidential treatment, with an attachment.
    secret = submit(
        page,
        commenter(display_name="Open Olav", show_name_publicly=True),
        body=f"<p>{SECRET_TEXT}</p>",
        confidential=True,
        confidential_justification=JUSTIFICATION,
        show_name=True,
        attachment=SimpleUploadedFile("trial.pdf", pdf_bytes()),
    )
    respond(secret, officer_user, disposition="noted", response="CONFIDENTIAL-RESPONSE-55")
    return {"page": page, "public": public, "secret": secret}


def assert_clean(text: str):
    for needle in (SECRET_TEXT, SECRET_NAME, SECRET_ORG, JUSTIFICATION, "CONFIDENTIAL-RESPONSE-55"):
        assert needle not in text, f"{needle!r} leaked"


def _get(url, client=None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_public_pages_show_neither(world, home):
    page = world["page"]
    html = _get(page.url)
    assert PUBLIC_TEXT in html  # the published comment is there…
    assert "Industry or business · Norway" in html  # …under category and country
    assert_clean(html)
    assert_clean(_get(page.get_parent().url))
    assert_clean(_get("/en/"))
    assert_clean(_get(reverse("consultations:statistics", args=[page.pk])))


def test_signed_in_strangers_see_neither(world, client):
    client.force_login(commenter())
    assert_clean(_get(world["page"].url, client))
    assert (
        client.get(reverse("consultations:comment", args=[world["secret"].reference])).status_code
        == 404
    )
    assert_clean(_get(reverse("consultations:comment", args=[world["public"].reference]), client))


def test_the_confidential_attachment_cannot_be_downloaded(world, client):
    url = reverse("consultations:attachment", args=[world["secret"].reference])
    assert Client().get(url).status_code == 404
    client.force_login(commenter())
    assert client.get(url).status_code == 404


def test_public_csv_and_xlsx_exports_show_neither(world):
    page = world["page"]
    csv_text = _get(reverse("consultations:export", args=[page.pk, "public", "csv"]))
    assert PUBLIC_TEXT in csv_text
    assert_clean(csv_text)
    response = Client().get(reverse("consultations:export", args=[page.pk, "public", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active  # streamed
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert PUBLIC_TEXT in cells
    assert_clean(cells)


def test_the_officers_export_is_not_public(world):
    page = world["page"]
    response = Client().get(reverse("consultations:export", args=[page.pk, "all", "csv"]))
    assert response.status_code == 302
    stranger = Client()
    stranger.force_login(commenter())
    assert (
        stranger.get(reverse("consultations:export", args=[page.pk, "all", "xlsx"])).status_code
        == 403
    )


def test_officers_export_has_everything(world, client, officer_user):
    client.force_login(officer_user)
    text = _get(reverse("consultations:export", args=[world["page"].pk, "all", "csv"]), client)
    for needle in (SECRET_TEXT, SECRET_NAME, SECRET_ORG, JUSTIFICATION):
        assert needle in text


def test_the_feed_shows_neither(world):
    xml = _get(reverse("consultations:feed", args=[world["page"].pk]))
    assert PUBLIC_TEXT in xml
    assert_clean(xml)


def test_the_response_table_after_the_outcome_shows_neither(world, officer_user):
    from consultations.services import consultation_close_now, outcome_publish

    page = world["page"]
    consultation_close_now(consultation=page, actor=officer_user, reason="Decision due.")
    page = type(page).objects.get(pk=page.pk)
    outcome_publish(
        consultation=page,
        actor=officer_user,
        decision="Approved.",
        decision_date=timezone.localdate(),
        comments_taken_into_account="See table.",
    )
    html = _get(page.url)
    assert "Labels clarified." in html
    assert_clean(html)
    assert_clean(_get(reverse("consultations:export", args=[page.pk, "public", "csv"])))


def test_no_live_event_carries_them(home, officer_user, django_capture_on_commit_callbacks):
    """Consultations push nothing live today; if one ever does, it must not leak."""
    sent = []
    with (
        mock.patch("core.events.send_now", side_effect=lambda g, e: sent.append((g, e))),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = make_consultation(home, moderation_mode="post")
        shy = commenter(display_name=SECRET_NAME, organisation=SECRET_ORG)
        submit(page, shy, body=f"<p>{PUBLIC_TEXT}</p>")
        submit(
            page,
            shy,
            body=f"<p>{SECRET_TEXT}</p>",
            confidential=True,
            confidential_justification=JUSTIFICATION,
        )
    assert_clean(repr(sent))


def test_the_form_offers_not_publishing_as_a_privacy_request_not_an_art_21_claim(home):
    """Issue 13: Art. 21 protects the notifier's information; a commenter who does not want a
    comment published makes a privacy request under national law."""
    from django.utils import translation

    from consultations.forms import CommentForm

    page = make_consultation(home)
    form = CommentForm(consultation=page)
    label = str(form.fields["confidential"].label)
    help_text = str(form.fields["confidential"].help_text)
    assert label == "Do not publish my comment"
    assert "Art. 21" not in label
    assert "privacy request under national law" in help_text
    assert "not a claim" in help_text and "notifier" in help_text
    assert "only if you agree" in str(form.fields["show_name"].help_text)
    with translation.override("zh-hans"):
        form = CommentForm(consultation=page)
        label = str(form.fields["confidential"].label)
        assert label != "Do not publish my comment" and "机密" not in label


def test_the_receipt_of_a_withheld_comment_says_privacy_and_keeps_the_guarantee(world, mailoutbox):
    from consultations.services.comments import _send_receipt  # noqa: PLC0415

    mailoutbox.clear()
    _send_receipt(world["secret"].pk)
    body = mailoutbox[-1].body
    assert "privacy request under national law" in body
    assert "will not be published nor included in public exports" in body
    assert "Art. 21" not in body
