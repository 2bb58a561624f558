"""Signing in brings people back to the page they were on (issue 12, item 11)."""

import pytest

from tests.accounts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_header_sign_in_link_carries_the_page_and_sign_in_returns_there(client, site_shell):
    html = client.get("/en/?page=2").content.decode()
    assert 'href="/en/accounts/login/?next=%2Fen%2F%3Fpage%3D2"' in html
    assert 'href="/en/accounts/signup/?next=%2Fen%2F%3Fpage%3D2"' in html
    make_user(email="back@example.org")
    response = client.post(
        "/en/accounts/login/?next=/en/%3Fpage%3D2",
        {"login": "back@example.org", "password": PASSWORD, "next": "/en/?page=2"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/?page=2"


def test_the_sign_in_page_does_not_send_people_back_to_itself(client, site_shell):
    html = client.get("/en/accounts/login/").content.decode()
    assert "next=%2Fen%2Faccounts" not in html
