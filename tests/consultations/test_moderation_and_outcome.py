"""Moderation, responses, closing and the published outcome (Art. 23.2)."""

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import Comment
from consultations.services import (
    comment_moderate,
    consultation_close_now,
    outcome_publish,
)
from core.moderation import ModerationLog, ModerationStatus

from .factories import (
    close_and_publish_outcome,
    commenter,
    make_consultation,
    published_comment,
    respond,
    section_key,
    submit,
)

pytestmark = pytest.mark.django_db


def test_published_comments_appear_under_their_section_with_counts(
    client, consultation, author, officer_user
):
    key = section_key(consultation, "2")
    published_comment(
        consultation, author, officer_user, section_key=key, body="<p>Cite the field studies.</p>"
    )
    published_comment(consultation, author, officer_user, section_key=key, body="<p>Second.</p>")
    submit(consultation, author, section_key=key, body="<p>Still pending.</p>")
    html = client.get(consultation.url).content.decode()
    section = html.split('id="section-2"')[1].split('id="section-3"')[0]
    assert "Cite the field studies." in section and "Second." in section
    assert "2 published comments" in section
    assert "Still pending." not in html
    assert "0 published comments" in html.split('id="section-3"')[1]


def test_reject_needs_a_reason_and_tells_the_author(
    consultation, author, officer_user, django_capture_on_commit_callbacks
):
    comment = submit(consultation, author)
    with pytest.raises(ValidationError):
        comment_moderate(comment=comment, actor=officer_user, to_status="rejected")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(
            comment=comment,
            actor=officer_user,
            to_status="rejected",
            reason_code="off_topic",
            reason="About another decision.",
        )
    assert Comment.objects.get().moderation_status == ModerationStatus.REJECTED
    [message] = [m for m in mail.outbox if "not published" in m.subject]
    assert message.to == [author.email]
    assert "Off-topic" in message.body and "About another decision." in message.body
    assert ModerationLog.for_item(comment).filter(action="reject", actor=officer_user).exists()


def test_confidential_comment_can_never_be_published(consultation, author, officer_user):
    comment = submit(consultation, author, confidential=True, confidential_justification="CBI")
    with pytest.raises(ValidationError, match="asked that this comment not be published"):
        comment_moderate(comment=comment, actor=officer_user, to_status="published")
    assert Comment.objects.get().moderation_status == ModerationStatus.PENDING


def test_officer_screen_moderates_over_http(client, consultation, author, officer_user):
    comment = submit(consultation, author)
    client.force_login(officer_user)
    screen = client.get(reverse("consultations:manage", args=[consultation.pk]))
    assert author.email in screen.content.decode()
    response = client.post(
        reverse("consultations:moderate", args=[comment.pk]),
        {f"m{comment.pk}-decision": "published"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().is_published
    # A second click on a stale screen is refused with a message, not a 500.
    again = client.post(
        reverse("consultations:moderate", args=[comment.pk]),
        {f"m{comment.pk}-decision": "published"},
    )
    assert again.status_code == 400 and "already" in again.content.decode()


def test_unknown_filter_on_the_officer_screen_is_reported(client, consultation, officer_user):
    client.force_login(officer_user)
    response = client.get(reverse("consultations:manage", args=[consultation.pk]) + "?show=<x>")
    assert response.status_code == 200
    assert "Unknown filter" in response.content.decode()


def test_response_needs_a_known_disposition_and_text(consultation, author, officer_user):
    comment = published_comment(consultation, author, officer_user)
    with pytest.raises(ValidationError):
        respond(comment, officer_user, disposition="maybe")
    with pytest.raises(ValidationError):
        respond(comment, officer_user, response="  ")
    respond(comment, officer_user, disposition="partly", response="Partly taken up.")
    stored = Comment.objects.get()
    assert (stored.disposition, stored.response, stored.responded_by) == (
        "partly",
        "Partly taken up.",
        officer_user,
    )


def _close(page, officer_user):
    consultation_close_now(consultation=page, actor=officer_user, reason="Decision due.")
    return type(page).objects.get(pk=page.pk)


def test_outcome_is_refused_while_open_or_while_comments_await_moderation(
    consultation, author, officer_user
):
    fields = dict(
        decision="Approved.",
        decision_date=timezone.localdate(),
        comments_taken_into_account="See table.",
    )
    with pytest.raises(PermissionDenied):
        outcome_publish(consultation=consultation, actor=officer_user, **fields)
    comment = submit(consultation, author)
    page = _close(consultation, officer_user)
    assert page.state == "closed"
    with pytest.raises(ValidationError, match="awaits moderation"):
        outcome_publish(consultation=page, actor=officer_user, **fields)
    comment_moderate(comment=comment, actor=officer_user, to_status="published")
    with pytest.raises(ValidationError, match="no disposition"):
        outcome_publish(consultation=page, actor=officer_user, **fields)


def test_publishing_the_outcome_mails_every_commenter_their_comments_fate(
    client, home, officer_user, django_capture_on_commit_callbacks
):
    page = make_consultation(home)
    chinese_reader = commenter(preferred_language="zh-hans", display_name="王芳")
    other = commenter(display_name="Tomás Ruiz")
    kept = published_comment(page, chinese_reader, officer_user, body="<p>Cite studies.</p>")
    respond(kept, officer_user, disposition="accepted", response="Studies now cited.")
    spam = submit(page, other, body="<p>Buy seed!</p>")
    comment_moderate(comment=spam, actor=officer_user, to_status="rejected", reason_code="spam")
    secret = submit(page, other, confidential=True, confidential_justification="CBI")
    respond(secret, officer_user, disposition="noted", response="Considered in confidence.")
    page = _close(page, officer_user)
    mail.outbox.clear()

    client.force_login(officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consultations:outcome", args=[page.pk]),
            {
                "decision": "Approved with conditions.",
                "decision_date": timezone.localdate().isoformat(),
                "comments_taken_into_account": "Three comments; one led to a change.",
                "confirm": "1",
            },
        )
    assert response.status_code == 302
    outcome_mails = {m.to[0]: m for m in mail.outbox}
    assert set(outcome_mails) == {chinese_reader.email, other.email}
    zh_mail = outcome_mails[chinese_reader.email]
    assert "结果" in zh_mail.subject or "征求意见" in zh_mail.subject
    assert kept.reference in zh_mail.body and "Studies now cited." in zh_mail.body
    other_mail = outcome_mails[other.email].body
    assert spam.reference in other_mail and "Spam" in other_mail
    assert secret.reference in other_mail and "Considered in confidence." in other_mail

    public = client.get(page.url).content.decode()
    assert "Response to comments" in public and "Studies now cited." in public
    assert "Considered in confidence." not in public


def test_response_document_downloads_as_csv_and_xlsx(client, home, officer_user, author):
    page = make_consultation(home)
    comment = published_comment(page, author, officer_user, body="<p>=HYPERLINK(1)</p>")
    respond(comment, officer_user, disposition="not_accepted", response="Outside Annex III.")
    page = close_and_publish_outcome(page, officer_user)
    csv_response = client.get(reverse("consultations:export", args=[page.pk, "public", "csv"]))
    rows = list(
        csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig")))
    )
    header, row = rows
    assert row[header.index("Disposition")] == "Not accepted"
    assert row[header.index("Response")] == "Outside Annex III."
    # A formula in a comment stays text in a spreadsheet.
    assert row[header.index("Comment")] == "'=HYPERLINK(1)"
    xlsx = client.get(reverse("consultations:export", args=[page.pk, "public", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active  # streamed
    assert [c.value for c in sheet[2]][0] == comment.reference


def test_closing_early_needs_a_reason_and_is_logged(client, consultation, officer_user):
    client.force_login(officer_user)
    refused = client.post(reverse("consultations:close", args=[consultation.pk]), {"reason": ""})
    assert refused.status_code == 400
    assert type(consultation).objects.get(pk=consultation.pk).state == "open"
    client.post(
        reverse("consultations:close", args=[consultation.pk]),
        {"reason": "Application withdrawn.", "confirm": "1"},
    )
    assert type(consultation).objects.get(pk=consultation.pk).state == "closed"
    assert ModerationLog.objects.filter(action="close_early", reason="Application withdrawn.")


def test_statistics_count_by_section_category_country_and_day(client, consultation, officer_user):
    kenyan = commenter(country="KE", stakeholder_category="ngo")
    chinese = commenter(country="CN", stakeholder_category="party")
    published_comment(
        consultation, kenyan, officer_user, section_key=section_key(consultation, "2")
    )
    published_comment(consultation, chinese, officer_user)
    submit(consultation, chinese)  # pending: officers count it, the public does not
    public = client.get(reverse("consultations:statistics", args=[consultation.pk]))
    html = public.content.decode()
    assert "Kenya" in html and "China" in html and "NGO or civil society" in html
    by_section = html.split('id="stats-section"')[1].split('id="stats-category"')[0]
    assert '<th scope="row">Section 2</th><td>1</td>' in by_section
    assert '<th scope="row">The draft as a whole</th><td>1</td>' in by_section
    client.force_login(officer_user)
    officer_view = client.get(reverse("consultations:statistics", args=[consultation.pk]))
    total = officer_view.content.decode().split("Total")[1]
    assert "<td>3</td>" in total
    assert "<td>2</td>" in html.split("Total")[1]


@pytest.fixture
def after_outcome(home, author, officer_user):
    """A consultation whose outcome is published, with one hidden and one published comment."""
    page = make_consultation(home, moderation_mode="post")
    hidden = submit(page, author, body="<p>My phone is 555-0100.</p>")
    comment_moderate(comment=hidden, actor=officer_user, to_status="hidden", reason="Phone.")
    shown = submit(page, author, body="<p>Fine remark.</p>")
    respond(shown, officer_user)
    page = close_and_publish_outcome(
        page, officer_user, comments_taken_into_account="See the table."
    )
    return {"page": page, "hidden": hidden, "shown": shown}


def test_after_the_outcome_a_hidden_comment_cannot_be_published_again(after_outcome, officer_user):
    hidden = Comment.objects.get(pk=after_outcome["hidden"].pk)
    with pytest.raises(PermissionDenied, match="only be hidden"):
        comment_moderate(comment=hidden, actor=officer_user, to_status="published")
    hidden.refresh_from_db()
    assert hidden.moderation_status == ModerationStatus.HIDDEN
    assert not ModerationLog.for_item(hidden).filter(action="restore").exists()


def test_after_the_outcome_the_officer_screen_refuses_a_restore_with_a_reason(
    client, after_outcome, officer_user
):
    hidden = after_outcome["hidden"]
    client.force_login(officer_user)
    response = client.post(
        reverse("consultations:moderate", args=[hidden.pk]),
        {f"m{hidden.pk}-decision": "published"},
    )
    assert response.status_code == 400
    assert "can now only be hidden" in response.content.decode()
    hidden.refresh_from_db()
    assert hidden.moderation_status == ModerationStatus.HIDDEN
    assert "555-0100" not in client.get(after_outcome["page"].url).content.decode()


def test_after_the_outcome_a_published_comment_can_still_be_hidden(after_outcome, officer_user):
    shown = Comment.objects.get(pk=after_outcome["shown"].pk)
    comment_moderate(comment=shown, actor=officer_user, to_status="hidden", reason="Late find.")
    shown.refresh_from_db()
    assert shown.moderation_status == ModerationStatus.HIDDEN
