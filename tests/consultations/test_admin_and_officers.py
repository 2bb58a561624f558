"""Editors write consultations in the Wagtail admin; officers find their work from it."""

import pytest
from django.urls import reverse

from consultations.models import ConsultationPage

from .factories import commenter, index_page, make_consultation, published_comment, submit

pytestmark = pytest.mark.django_db


def test_admin_edit_form_opens_for_a_consultation(client, home, consultation):
    client.force_login(_superuser())
    response = client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "unique identifier" in html.lower() and "draft text, by section" in html.lower()


def _superuser():
    from accounts.models import User

    return User.objects.create_superuser(email="root@example.org", password="x" * 12)


def test_admin_refuses_a_wrong_check_digit_with_the_core_message(client, home):
    client.force_login(_superuser())
    index = index_page(home)
    url = reverse("wagtailadmin_pages:add", args=["consultations", "consultationpage", index.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "title": "Maize",
        "slug": "maize",
        "decision_type": "art11",
        "authority": "NBA",
        "lmo_identifier": "MON-89Ø34-4",
        "summary": '{"blocks": [{"key": "a", "text": "S", '
        '"type": "unstyled", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], '
        '"entityMap": {}}',
        "opens_at": "2026-01-01 00:00",
        "closes_at": "2026-02-01 00:00",
        "moderation_mode": "pre",
        "documents-count": "0",
        "sections-count": "0",
        "information_requests-count": "0",
        "confidentiality_claims-TOTAL_FORMS": "0",
        "confidentiality_claims-INITIAL_FORMS": "0",
        "confidentiality_claims-MIN_NUM_FORMS": "0",
        "confidentiality_claims-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The check digit is 4, but the rule gives 3." in response.content.decode()
    # An Art. 11 decision without the Art. 21.6 items is refused too.
    assert "Art. 21.6: this is never confidential" in response.content.decode()
    assert not ConsultationPage.objects.filter(slug="maize").exists()


def test_officers_overview_counts_what_waits(client, home, officer_user):
    page = make_consultation(home, title="Maize overview")
    published_comment(page, commenter(), officer_user)
    submit(page, commenter())
    submit(page, commenter(), confidential=True, confidential_justification="CBI")
    client.force_login(officer_user)
    html = client.get(reverse("consultations:officer_home")).content.decode()
    row = html.split("Maize overview")[1].split("</tr>")[0]
    # 3 comments; 1 awaits moderation (the one not to be published is never published, so it
    # waits for a response only: the same count the outcome check uses); 2 need a response.
    assert "<td>3</td><td>1</td><td>2</td>" in row


def test_officers_overview_is_for_officers_only(client, home):
    url = reverse("consultations:officer_home")
    assert client.get(url).status_code == 302
    client.force_login(commenter())
    assert client.get(url).status_code == 403


def test_admin_menu_links_officers_to_their_screens(client, officer_user):
    client.force_login(officer_user)
    html = client.get("/admin/").content.decode()
    assert reverse("consultations:officer_home") in html


def test_outcome_is_shown_in_the_readers_language_when_translated(demo, client):
    page = ConsultationPage.objects.get(
        slug="contained-use-laboratory-guideline", locale__language_code="zh-hans"
    )
    html = client.get(page.url).content.decode()
    assert "经下述修改后通过" in html and 'lang="zh-hans"' in html
    english = page.canonical
    assert "is adopted with the changes" in client.get(english.url).content.decode()


def test_officer_screen_pages_through_many_comments(client, home, officer_user):
    from consultations.views import officers as views

    page = make_consultation(home)
    refs = [submit(page, commenter()).reference for _ in range(5)]
    client.force_login(officer_user)
    url = reverse("consultations:manage", args=[page.pk])
    original = views.MANAGE_PAGE_SIZE
    views.MANAGE_PAGE_SIZE = 2
    try:
        first = client.get(url).content.decode()
        last = client.get(url, {"page": 3}).content.decode()
        bad = client.get(url, {"page": "x"})
    finally:
        views.MANAGE_PAGE_SIZE = original
    assert refs[0] in first and refs[2] not in first and "Page 1 of 3" in first
    assert refs[4] in last and refs[0] not in last
    assert bad.status_code == 200
