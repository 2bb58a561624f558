"""Wagtail's password forms (a private page's, a document collection's) are throttled per client
address: a shared password was open to unlimited guessing (issue 11, the attacker's pass)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.consultations.factories import make_consultation

pytestmark = pytest.mark.django_db
PASSWORD = "open sesame"  # noqa: S105 - a test page's shared password


@pytest.fixture
def private_page(site_shell):
    page = make_consultation(site_shell["home"], state="open")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password=PASSWORD
    )
    return page, restriction


@override_settings(PAGE_PASSWORD_RATE="3/300")
def test_guessing_a_private_pages_password_is_stopped_per_address(client, private_page):
    page, restriction = private_page
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    guess = {"password": "guess", "return_url": page.url}
    statuses = [client.post(url, guess, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # wrong password: the form again
    refused = client.post(url, {**guess, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    # Over the limit even the right password is not checked: the form says why.
    assert refused.status_code == 429
    assert "Too many password attempts" in refused.content.decode()
    assert client.get(page.url, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert page.title not in client.get(page.url).content.decode()
    # Another address still has its attempts.
    other = client.post(url, {**guess, "password": PASSWORD}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302
    assert page.title in client.get(page.url).content.decode()


@override_settings(PAGE_PASSWORD_RATE="2/300")
def test_guessing_a_document_collections_password_is_stopped_per_address(client, site_shell):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Private annexes")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password=PASSWORD
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    guess = {"password": "guess", "return_url": "/"}
    assert [client.post(url, guess).status_code for _ in range(2)] == [200, 200]
    refused = client.post(url, {**guess, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many password attempts" in refused.content.decode()
