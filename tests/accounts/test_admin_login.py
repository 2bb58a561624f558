"""The Wagtail admin signs people in through allauth only (issue 11, finding 8).

Wagtail's own login form (/admin/login/, and the front-end one at /<lang>/_util/login/)
authenticated with Django's backend alone: an unverified staff account got in, and failed
attempts were never throttled; its password reset was not throttled either. Now every
sign-in, sign-out and password reset of the admin is allauth's, with its mandatory e-mail
verification and its rate limits.
"""

import re

import pytest
from django.core import mail

from tests.accounts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def unverified_editor(db):
    return make_user(email="new.editor@example.org", verified=False, roles=["Editors"])


def test_admin_login_page_leads_to_the_sites_sign_in_and_back_to_the_admin(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/admin/pages/"
    # Anonymous visitors of any admin page end up there too.
    first = client.get("/admin/pages/")
    assert client.get(first["Location"])["Location"].startswith("/en/accounts/login/")


def test_the_admin_login_refuses_to_send_people_elsewhere(client):
    response = client.get("/admin/login/?next=https://evil.example.com/")
    assert response["Location"] == "/en/accounts/login/?next=/admin/"


@pytest.mark.parametrize("path", ["/admin/login/", "/en/_util/login/"])
def test_an_unverified_staff_account_gets_into_the_admin_by_no_login_form(
    client, unverified_editor, path
):
    # Wagtail's form fields; the address as Django's form would accept it.
    client.post(path, {"username": unverified_editor.email, "password": PASSWORD})
    assert not signed_in(client)
    client.post(
        "/en/accounts/login/?next=/admin/",
        {"login": unverified_editor.email, "password": PASSWORD},
    )
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_a_verified_staff_account_signs_in_through_allauth_and_reaches_the_admin(client):
    editor = make_user(email="editor@example.org", roles=["Editors"])
    response = client.post(
        "/en/accounts/login/?next=/admin/", {"login": editor.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_failed_admin_logins_are_throttled(client):
    editor = make_user(email="editor@example.org", roles=["Editors"])
    for _attempt in range(5):
        client.post("/en/accounts/login/?next=/admin/", {"login": editor.email, "password": WRONG})
    # Even the right password is refused for a while: guessing is slowed to a crawl.
    response = client.post(
        "/en/accounts/login/?next=/admin/", {"login": editor.email, "password": PASSWORD}
    )
    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_wagtails_login_form_is_not_served_at_all(client):
    editor = make_user(email="editor@example.org", roles=["Editors"])
    for _attempt in range(10):
        response = client.post("/admin/login/", {"username": editor.email, "password": WRONG})
        assert response.status_code == 302  # to allauth; no password is checked here
    client.post("/admin/login/", {"username": editor.email, "password": PASSWORD})
    assert not signed_in(client)


def test_admin_password_reset_is_allauths_throttled_flow(client):
    editor = make_user(email="editor@example.org", roles=["Editors"])
    response = client.get("/admin/password_reset/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/"
    # Wagtail's own reset form mails nothing.
    client.post("/admin/password_reset/", {"email": editor.email})
    assert len(mail.outbox) == 0
    for _attempt in range(8):
        client.post("/en/accounts/password/reset/", {"email": editor.email})
    assert len(mail.outbox) == 5  # allauth's limit: 5 a minute per address
    assert re.search(r"/en/accounts/password/reset/key/", mail.outbox[0].body)


def test_admin_logout_signs_out(client):
    client.force_login(make_user(roles=["Editors"]))
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert not signed_in(client)


def test_a_participant_without_a_role_is_told_no_rather_than_sent_round_in_circles(client):
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
