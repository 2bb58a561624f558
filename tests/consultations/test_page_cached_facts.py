"""What the signed-in consultation page keeps in the cache (issue 16: 12 queries) shows a change
on the next page: a verified or removed e-mail address, a published outcome, an authority's
decision on an Art. 21 claim. And one person's cached answer is never another's."""

from datetime import date

import pytest
from allauth.account.models import EmailAddress

from consultations.models import ConfidentialityClaim

from ..accounts.factories import make_user
from .factories import make_consultation
from .test_decision_file import claim, closed, publish

FORM = 'data-draft-key="comment-'
VERIFY_FIRST = "Only accounts with a verified e-mail address can comment."


@pytest.fixture(autouse=True)
def _cache_entries_kept(settings):
    # Entries read within PAGE_CACHE_CLOCK_SKEW of a write are not kept: without this the
    # tests would pass without ever reading from the cache.
    settings.PAGE_CACHE_CLOCK_SKEW = 0


@pytest.mark.django_db
def test_an_address_verified_or_removed_changes_the_comment_form_at_once(client, home):
    page = make_consultation(home)
    user = make_user(verified=False)
    client.force_login(user)
    assert VERIFY_FIRST in client.get(page.url).content.decode()
    assert VERIFY_FIRST in client.get(page.url).content.decode()  # from the cache

    address = EmailAddress.objects.get(user=user)
    address.verified = True
    address.save()
    html = client.get(page.url).content.decode()
    assert FORM in html and VERIFY_FIRST not in html
    assert FORM in client.get(page.url).content.decode()

    address.delete()
    assert VERIFY_FIRST in client.get(page.url).content.decode()


@pytest.mark.django_db
def test_one_persons_verified_address_does_not_open_the_form_to_another(client, home):
    page = make_consultation(home)
    verified, unverified = make_user(), make_user(verified=False)
    client.force_login(verified)
    assert FORM in client.get(page.url).content.decode()
    client.force_login(unverified)
    assert VERIFY_FIRST in client.get(page.url).content.decode()


@pytest.mark.django_db
def test_a_published_outcome_shows_to_a_signed_in_reader_at_once(client, home, officer_user):
    page = closed(home, officer_user)
    client.force_login(make_user())
    client.get(page.url)
    assert "REASONS-4471" not in client.get(page.url).content.decode()  # cached: no outcome
    publish(page, officer_user, result="prohibited", reasons="REASONS-4471")
    assert "REASONS-4471" in client.get(page.url).content.decode()


@pytest.mark.django_db
def test_a_decision_on_a_claim_shows_at_once_and_its_reasons_stay_the_officers(
    client, home, officer_user
):
    page = make_consultation(home)
    page.confidentiality_claims = [
        claim(item="Annex 7: field trial sites", decision_reasons="AUTHORITY-REASONS-5521")
    ]
    page.save_revision().publish()
    client.force_login(make_user())
    client.get(page.url)
    assert "Kept confidential" not in client.get(page.url).content.decode()

    stored = ConfidentialityClaim.objects.get(page=page)
    stored.decision, stored.decided_on = "accepted", date(2026, 2, 1)
    stored.save()
    html = client.get(page.url).content.decode()
    assert "Kept confidential" in html and "AUTHORITY-REASONS-5521" not in html
    client.force_login(officer_user)
    assert "AUTHORITY-REASONS-5521" in client.get(page.url).content.decode()


@pytest.mark.django_db
def test_a_preview_shows_the_editors_unsaved_claims_not_the_cached_ones(client, home, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from consultations.models import ConsultationPage

    page = make_consultation(home)
    page.confidentiality_claims = [claim(item="Annex 2: stored claim")]
    page.save_revision().publish()
    client.get(page.url)
    client.get(page.url)  # the stored claim now in the cache

    editing = ConsultationPage.objects.get(pk=page.pk)
    editing.confidentiality_claims = [claim(item="Annex 3: edited, not saved")]
    request = rf.get("/")
    request.user, request.is_preview = AnonymousUser(), True
    html = render_to_string(
        editing.get_template(request), editing.get_context(request), request=request
    )
    assert "Annex 3: edited, not saved" in html and "Annex 2: stored claim" not in html
