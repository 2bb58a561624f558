"""Wagtail documents shown on a consultation follow its page: an annex of an unpublished or
private consultation is not downloadable by its guessable /documents/<id>/ address (issue 11,
the attacker's pass; the leak matrix's `document` channel covers every reader)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from .factories import make_consultation, officer

pytestmark = pytest.mark.django_db
ANNEX = "ANNEX-CANARY-4410"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _annexed(home, **fields):
    document = Document.objects.create(
        title="Annex III", file=ContentFile(f"Risk assessment {ANNEX}".encode(), name="annex.txt")
    )
    page = make_consultation(
        home,
        state="open",
        documents=[("document", {"document": document, "description": "Annex III"})],
        **fields,
    )
    return page, document


def _download(client, document) -> str:
    response = client.get(document.url)
    if response.status_code != 200:
        return f"{response.status_code}"
    return b"".join(response.streaming_content).decode()


def test_an_annex_follows_its_consultation_from_public_to_unpublished(client, site_shell):
    page, document = _annexed(site_shell["home"])
    assert ANNEX in _download(client, document)  # public page, public annex
    page.unpublish()
    assert _download(client, document) == "404"  # as if it did not exist
    client.force_login(officer())
    assert ANNEX in _download(client, document)  # officers keep the record


def test_an_annex_of_a_password_protected_consultation_needs_the_password(client, site_shell):
    page, document = _annexed(site_shell["home"])
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="open sesame"
    )
    assert _download(client, document) == "404"
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert ANNEX in _download(client, document)


def test_a_document_no_page_shows_keeps_wagtails_collection_rule(client, site_shell):
    document = Document.objects.create(
        title="Library", file=ContentFile(b"Library copy", name="library.txt")
    )
    assert "Library copy" in _download(client, document)
