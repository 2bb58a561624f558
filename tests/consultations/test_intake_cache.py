"""The comment POST reads its page and the commenter's profile from the cache (issue 16): every
change that matters to the next comment must reach it at once, and the rows, not the cache,
have the last word on the period and on the page being live."""

import uuid

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts.services import profile_update
from consultations.models import Comment, CommentCounter, ConsultationPage
from consultations.services import consultation_close_now
from core.moderation import ModerationStatus

from .factories import make_consultation, officer, translate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


_capture = None


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def post(client, page, body="<p>A comment.</p>"):
    with _capture(execute=True):
        return client.post(
            reverse("consultations:comment_create", args=[page.pk]),
            {"token": str(uuid.uuid4()), "section": "", "body": body},
        )


def stored(page):
    return Comment.objects.filter(consultation=page).count()


def test_a_page_made_private_after_comments_refuses_the_next(signed_in, consultation):
    assert post(signed_in, consultation).status_code == 302  # the page is in the cache now
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    assert post(signed_in, consultation).status_code == 404
    assert stored(consultation) == 1


def test_an_unpublished_page_refuses_the_next_comment(signed_in, consultation):
    assert post(signed_in, consultation).status_code == 302
    consultation.unpublish()
    assert post(signed_in, consultation).status_code == 404
    assert stored(consultation) == 1


def test_closing_early_refuses_the_next_comment(signed_in, consultation):
    assert post(signed_in, consultation).status_code == 302
    consultation_close_now(consultation=consultation, actor=officer(), reason="Withdrawn.")
    response = post(signed_in, consultation)
    assert response.status_code == 400
    assert "comment period closed" in response.content.decode()
    assert stored(consultation) == 1


@pytest.mark.parametrize("field", ["closes_at", "opens_at"])
def test_a_period_changed_behind_wagtails_back_is_read_from_the_row(signed_in, consultation, field):
    # A write that sends no signal (a script, a data fix) leaves the cached page as it was;
    # the insert checks the row and refuses all the same, naming the period's real bounds.
    assert post(signed_in, consultation).status_code == 302
    later = consultation.closes_at if field == "opens_at" else consultation.opens_at
    ConsultationPage.objects.filter(pk=consultation.pk).update(**{field: later})
    response = post(signed_in, consultation)
    assert response.status_code == 400
    text = response.content.decode()
    assert ("has not opened yet" if field == "opens_at" else "comment period closed") in text
    assert stored(consultation) == 1


def test_a_page_taken_offline_behind_wagtails_back_refuses_the_comment(signed_in, consultation):
    assert post(signed_in, consultation).status_code == 302
    ConsultationPage.objects.filter(pk=consultation.pk).update(live=False)
    assert post(signed_in, consultation).status_code == 403
    assert stored(consultation) == 1


def test_a_translation_follows_its_consultations_new_moderation_mode(client, home, author):
    page = make_consultation(home, moderation_mode="pre")
    chinese = translate(page)
    client.force_login(author)
    assert post(client, chinese).status_code == 302
    assert Comment.objects.get().moderation_status == ModerationStatus.PENDING
    page.moderation_mode = "post"
    page.save_revision().publish()  # the default-language page only
    assert post(client, chinese).status_code == 302
    latest = Comment.objects.order_by("-sequence").first()
    assert latest.consultation_id == page.pk
    assert latest.moderation_status == ModerationStatus.PUBLISHED


def test_the_next_comment_carries_the_profile_as_just_changed(signed_in, consultation, author):
    assert post(signed_in, consultation).status_code == 302
    profile_update(user=author, display_name="Amina Diallo", organisation="Seed Savers")
    assert post(signed_in, consultation).status_code == 302
    latest = Comment.objects.order_by("-sequence").first()
    assert (latest.author_name, latest.author_organisation) == ("Amina Diallo", "Seed Savers")


def test_an_address_no_longer_verified_is_refused_at_once(signed_in, consultation, author):
    from allauth.account.models import EmailAddress

    assert post(signed_in, consultation).status_code == 302
    address = EmailAddress.objects.get(user=author)
    address.verified = False
    address.save()
    response = post(signed_in, consultation)
    assert response.status_code == 403
    assert stored(consultation) == 1


def test_references_past_9999_keep_every_digit(signed_in, consultation):
    assert post(signed_in, consultation).status_code == 302
    CommentCounter.objects.filter(consultation=consultation).update(last=9999)
    assert post(signed_in, consultation).status_code == 302
    latest = Comment.objects.order_by("-sequence").first()
    assert latest.sequence == 10000
    assert latest.reference == f"{consultation.reference_code}-10000"
