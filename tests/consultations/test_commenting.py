"""Commenting on an open consultation, and every way a submission is refused (issue #5)."""

import hashlib
import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations.models import Comment
from core.moderation import ModerationStatus

from .factories import commenter, make_consultation, pdf_bytes, section_key, submit

pytestmark = pytest.mark.django_db


def _post_comment(client, page, **data):
    payload = {"token": str(uuid.uuid4()), "section": "", "body": "<p>My comment.</p>"}
    payload.update(data)
    return client.post(reverse("consultations:comment_create", args=[page.pk]), payload)


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """Mail is sent after commit; run those callbacks as each request's transaction ends."""
    global _capture
    _capture = django_capture_on_commit_callbacks


_capture = None


def post_comment(client, page, **data):
    with _capture(execute=True):
        return _post_comment(client, page, **data)


def test_comment_on_section_2_gets_a_reference_and_a_receipt_with_hashes(
    signed_in, consultation, author
):
    key = section_key(consultation, "2")
    response = post_comment(
        signed_in, consultation, section=key, body="<p>The field studies are not cited.</p>"
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:comment", args=[comment.reference])
    assert comment.reference == f"{consultation.reference_code}-0001"
    assert comment.section_number == "2"
    assert comment.moderation_status == ModerationStatus.PENDING  # pre-moderation default
    # The profile travels with the comment.
    assert (comment.author_name, comment.author_country.code, comment.author_category) == (
        "Grace Mwangi",
        "KE",
        "ngo",
    )

    page = signed_in.get(response["Location"])
    assert comment.reference in page.content.decode()

    [receipt] = mail.outbox
    assert receipt.to == [author.email]
    assert comment.reference in receipt.subject
    expected = hashlib.sha256(comment.body.encode()).hexdigest()
    assert expected in receipt.body and comment.body_sha256 == expected


def test_attachment_is_stored_privately_and_its_hash_is_in_the_receipt(
    signed_in, consultation, author, settings
):
    content = pdf_bytes()
    upload = SimpleUploadedFile("../../etc/evidence.pdf", content, "application/pdf")
    post_comment(signed_in, consultation, attachment=upload)
    comment = Comment.objects.get()
    assert comment.attachment_name == "evidence.pdf"
    assert comment.attachment_sha256 == hashlib.sha256(content).hexdigest()
    assert comment.attachment_sha256 in mail.outbox[0].body
    # Outside the public media folder, under a random name.
    assert not comment.attachment.path.startswith(settings.MEDIA_ROOT + "/")
    assert "evidence" not in comment.attachment.name
    # The author can download it; the public cannot while it is not published.
    url = reverse("consultations:attachment", args=[comment.reference])
    assert signed_in.get(url).status_code == 200
    assert Client().get(url).status_code == 404


def test_double_submit_of_the_same_form_stores_one_comment(signed_in, consultation):
    token = str(uuid.uuid4())
    first = post_comment(signed_in, consultation, token=token)
    second = post_comment(signed_in, consultation, token=token)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1


def test_a_form_sent_again_after_the_deadline_finds_its_comment(signed_in, consultation):
    # The browser resends once the period has closed (a retry after a dropped connection):
    # the comment it stored is the answer, not "the period closed".
    token = str(uuid.uuid4())
    first = post_comment(signed_in, consultation, token=token)
    type(consultation).objects.filter(pk=consultation.pk).update(closes_at=consultation.opens_at)
    again = post_comment(signed_in, consultation, token=token)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Comment.objects.count() == 1 and len(mail.outbox) == 1


def test_a_form_sent_again_over_the_rate_limit_finds_its_comment(signed_in, consultation, settings):
    settings.CONSULTATIONS_COMMENT_RATE = "1/60"
    token = str(uuid.uuid4())
    first = post_comment(signed_in, consultation, token=token)
    again = post_comment(signed_in, consultation, token=token)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    # A new comment is over the limit: refused, nothing stored.
    assert post_comment(signed_in, consultation).status_code == 429
    assert Comment.objects.count() == 1 and len(mail.outbox) == 1


def test_a_new_form_gets_a_new_token(signed_in, consultation):
    html = signed_in.get(consultation.url).content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)
    html2 = signed_in.get(consultation.url).content.decode()
    assert token not in html2


@pytest.mark.parametrize("state", ["upcoming", "closed", "outcome"])
def test_comment_outside_the_period_is_refused_and_nothing_is_stored(signed_in, home, state):
    page = make_consultation(home, state=state)
    response = post_comment(signed_in, page)
    assert response.status_code == 400
    text = response.content.decode()
    assert "comment period" in text
    assert Comment.objects.count() == 0 and mail.outbox == []


def test_crafted_submission_after_the_deadline_is_refused(signed_in, consultation, author):
    html = signed_in.get(consultation.url).content.decode()
    assert 'name="token"' in html
    # The form was shown while open; the deadline passes before it is sent.
    type(consultation).objects.filter(pk=consultation.pk).update(closes_at=consultation.opens_at)
    response = post_comment(signed_in, consultation)
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert Comment.objects.count() == 0


def test_unverified_account_is_refused_with_a_clear_message(client, consultation):
    user = commenter(verified=False)
    client.force_login(user)
    page = client.get(consultation.url).content.decode()
    assert "verified e-mail address" in page
    assert 'name="body"' not in page
    response = post_comment(client, consultation)
    assert response.status_code == 403
    assert "verified e-mail address" in response.content.decode()
    assert Comment.objects.count() == 0


def test_anonymous_post_goes_to_sign_in_and_stores_nothing(client, consultation):
    response = post_comment(client, consultation)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required"),
        ("<p>   </p>", "it is empty"),
        ("<script>alert(1)</script>", "it is empty"),
        ("x" * 70_000, "at most"),
        ("<p>" + "y" * 25_000 + "</p>", "at most"),
        # Within the field's limit as typed, over it once "&" is written as "&amp;".
        ("a & b " * 3_000, "too long"),
    ],
)
def test_empty_or_oversize_comment_is_refused_and_the_text_kept(
    signed_in, consultation, body, message
):
    response = post_comment(signed_in, consultation, body=body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_the_comment_box_says_and_keeps_the_stored_texts_limit(signed_in, consultation, settings):
    # The box used to take 60,000 characters and refuse anything over 20,000 once sent.
    settings.USER_HTML_MAX_LENGTH = 12_345
    page = signed_in.get(consultation.url).content.decode()
    box = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", page).group(0)
    assert 'maxlength="12345"' in box
    assert "At most 12,345 characters." in page
    chinese = signed_in.get(consultation.url.replace("/en/", "/zh-hans/", 1)).content.decode()
    assert "最多 12,345 个字符。" in chinese  # grouped by three, as Chinese technical texts do
    assert post_comment(signed_in, consultation, body="z" * 12_346).status_code == 400
    assert Comment.objects.count() == 0


def test_hostile_html_is_sanitised_before_it_is_stored(signed_in, consultation):
    post_comment(
        signed_in,
        consultation,
        body='<p onclick="x()">Fine <a href="javascript:alert(1)">link</a>'
        "<img src=x onerror=alert(1)><script>steal()</script></p>",
    )
    comment = Comment.objects.get()
    assert "onclick" not in comment.body and "javascript" not in comment.body
    assert "<img" not in comment.body and "steal" not in comment.body
    assert "Fine" in comment.body


def test_comment_on_a_section_that_does_not_exist_is_refused(signed_in, consultation):
    response = post_comment(signed_in, consultation, section="no-such-section")
    assert response.status_code == 400
    assert "This section does not exist" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 this is an exe", "report.pdf", "is not a PDF"),
        (b"%PDF-1.7\n garbage without structure", "report.pdf", "cannot be read"),
        (None, "locked.pdf", "encrypted"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_bad_attachments_are_refused_by_content(signed_in, consultation, content, name, message):
    if content is None:
        content = pdf_bytes(encrypted=True)
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = post_comment(signed_in, consultation, attachment=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_oversize_attachment_is_refused(signed_in, consultation, settings):
    settings.CONSULTATIONS_MAX_ATTACHMENT_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", pdf_bytes(pages=20) + b"\n" * 2048)
    response = post_comment(signed_in, consultation, attachment=upload)
    assert response.status_code == 400
    assert "the limit is 1.0" in response.content.decode()
    assert Comment.objects.count() == 0


def test_missing_csrf_token_is_refused(consultation, author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = post_comment(client, consultation)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_flood_from_one_account_hits_the_rate_limit_and_earlier_comments_stay(
    signed_in, consultation, settings
):
    settings.CONSULTATIONS_COMMENT_RATE = "3/60"
    for _ in range(3):
        assert post_comment(signed_in, consultation).status_code == 302
    response = post_comment(signed_in, consultation, body="<p>Kept text</p>")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait a minute" in html and "Kept text" in html
    assert Comment.objects.count() == 3


def test_refusal_messages_are_in_the_users_language(client, home, author):
    page = make_consultation(home, state="closed")
    client.force_login(author)
    response = client.post(
        reverse("consultations:comment_create", args=[page.pk]).replace("/en/", "/zh-hans/", 1),
        {"token": str(uuid.uuid4()), "body": "<p>x</p>"},
    )
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The comment period closed on %(when)s UTC; comments are no longer taken."
        ).split("%")[0]
    assert expected.strip() and expected.strip() in response.content.decode()
    assert expected != "The comment period closed on "


def test_confidential_request_needs_a_justification(signed_in, consultation):
    response = post_comment(signed_in, consultation, confidential="on")
    assert response.status_code == 400
    assert "why your comment should not be published" in response.content.decode()
    post_comment(
        signed_in,
        consultation,
        confidential="on",
        confidential_justification="Unpublished trial data.",
    )
    comment = Comment.objects.get()
    assert comment.confidential and comment.moderation_status == ModerationStatus.PENDING


def test_post_moderation_publishes_at_once_except_confidential(home, author):
    page = make_consultation(home, moderation_mode="post")
    public = submit(page, author)
    secret = submit(page, author, confidential=True, confidential_justification="Trade secret.")
    assert public.moderation_status == ModerationStatus.PUBLISHED
    assert secret.moderation_status == ModerationStatus.PENDING


def test_references_count_per_consultation(home, author):
    first, second = make_consultation(home), make_consultation(home)
    refs = [
        submit(first, author).reference,
        submit(second, author).reference,
        submit(first, author).reference,
    ]
    assert refs == [
        f"{first.reference_code}-0001",
        f"{second.reference_code}-0001",
        f"{first.reference_code}-0002",
    ]


def test_comments_on_a_translation_belong_to_the_consultation(home, author):
    from .factories import translate

    page = make_consultation(home)
    chinese = translate(page)
    comment = submit(chinese, author, section_key=section_key(chinese, "2"))
    assert comment.consultation_id == page.pk
    assert comment.section_key == section_key(page, "2")


def test_showing_a_name_needs_a_display_name(client, consultation):
    nameless = commenter(display_name="")
    client.force_login(nameless)
    response = post_comment(client, consultation, show_name="on")
    assert response.status_code == 400
    assert "no display name" in response.content.decode()
    assert Comment.objects.count() == 0
    post_comment(client, consultation)
    comment = Comment.objects.get()
    assert comment.author_name == nameless.email  # for officers; never shown publicly
    assert nameless.email not in comment.public_label


def test_comments_stay_visible_when_their_section_is_removed(client, home, officer_user, author):
    import json

    from .factories import published_comment

    page = make_consultation(home)
    published_comment(
        page,
        author,
        officer_user,
        section_key=section_key(page, "3"),
        body="<p>About section three.</p>",
    )
    kept = [block for block in page.sections.raw_data if block["value"]["number"] != "3"]
    page.sections = json.dumps(list(kept))
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    general = html.split('id="general-title"')[1]
    assert "About section three." in general and "Section 3" in general


def test_deleting_an_account_keeps_its_comments_on_record(consultation, author):
    comment = submit(consultation, author)
    author.delete()
    comment.refresh_from_db()
    assert comment.author is None and comment.author_name == "Grace Mwangi"


@pytest.mark.parametrize("token", ["", "not-a-uuid", "<script>"])
def test_a_missing_or_tampered_token_is_refused_and_the_text_kept(signed_in, consultation, token):
    response = post_comment(signed_in, consultation, token=token, body="<p>Keep me</p>")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This form was out of date" in html and "Keep me" in html
    assert re.search(r'name="token" value="[0-9a-f-]{36}"', html)
    assert Comment.objects.count() == 0


def test_the_confirmation_says_what_happens_next(signed_in, home, consultation):
    pending = post_comment(signed_in, consultation)
    assert (
        "once a consultation officer has published it"
        in signed_in.get(pending["Location"]).content.decode()
    )
    secret = post_comment(
        signed_in, consultation, confidential="on", confidential_justification="Trade secret."
    )
    assert (
        "will not be published (a privacy request"
        in signed_in.get(secret["Location"]).content.decode()
    )
    post_page = make_consultation(home, moderation_mode="post")
    published = post_comment(signed_in, post_page)
    assert (
        "published on the consultation page"
        in signed_in.get(published["Location"]).content.decode()
    )


@pytest.mark.parametrize(
    ("body", "interface", "marked"),
    [
        ("<p>风险评估忽略了基因流动。</p>", "en", 'lang="zh-hans"'),
        ("<p>The risk assessment ignores gene flow.</p>", "zh-hans", 'lang=""'),
        ("<p>يتجاهل تقييم المخاطر تدفق الجينات.</p>", "en", 'lang="ar"'),
        ("<p>The risk assessment ignores gene flow.</p>", "en", 'lang="en"'),
    ],
)
def test_a_comment_is_marked_with_the_language_it_is_written_in(
    signed_in, consultation, body, interface, marked
):
    # The interface the author used is not always the language they wrote in.
    with translation.override(interface):
        url = reverse("consultations:comment_create", args=[consultation.pk])
    with _capture(execute=True):
        response = signed_in.post(url, {"token": str(uuid.uuid4()), "section": "", "body": body})
    page = signed_in.get(response["Location"]).content.decode()
    assert f'<div class="comment__body" dir="auto" {marked}>' in page


def test_the_authors_name_and_organisation_keep_their_own_direction(client, consultation):
    # An Arabic interface, a Latin name and organisation: each is isolated (<bdi>), so the
    # commas and the country between them do not reorder (WCAG 1.3.2).
    author = commenter(display_name="Amina Diallo", organisation="Seed Savers (SSN)")
    client.force_login(author)
    response = post_comment(client, consultation)
    page = client.get(response["Location"].replace("/en/", "/ar/", 1)).content.decode()
    assert "<bdi>Amina Diallo</bdi>, <bdi>Seed Savers (SSN)</bdi>" in page


def test_the_officers_screen_keeps_each_latin_name_and_address_in_its_own_direction(
    client, consultation, officer_user
):
    # The same on the officers' screen, where the address sits between name and organisation.
    submit(consultation, commenter(display_name="Amina Diallo", organisation="Seed Savers (SSN)"))
    client.force_login(officer_user)
    with translation.override("ar"):
        url = reverse("consultations:manage", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert re.search(
        r"<bdi>Amina Diallo</bdi> <bdi>&lt;[^<>]+@[^<>]+&gt;</bdi>, <bdi>Seed Savers \(SSN\)</bdi>",
        page,
    )
