"""Sign-up, sign-in and the profile refuse with the site's error summary (issue 12, item 2)."""

import pytest

from tests.accounts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_refused_sign_up_lists_each_error_as_a_link_to_its_field(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "not-an-address", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200  # allauth re-renders the form
    html = response.content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert 'href="#id_email"' in summary
    assert 'href="#id_password2"' in summary and "same password" in summary


def test_refused_sign_in_says_why_in_the_summary(client):
    make_user(email="known@example.org")
    response = client.post("/en/accounts/login/", {"login": "known@example.org", "password": "no"})
    html = response.content.decode()
    assert 'role="alert" tabindex="-1" data-error-summary' in html
    assert "not correct" in html[html.index("data-error-summary") :]


def test_refused_profile_links_to_the_field(client):
    client.force_login(make_user())
    response = client.post("/en/profile/", {"display_name": "", "country": "XX"})
    html = response.content.decode()
    assert "data-error-summary" in html and 'href="#id_country"' in html
