import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import Profile, User
from accounts.rules import can_participate
from tests.accounts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/[\w-]+/accounts/confirm-email/[^/\s]+/)")


def sign_up(client, email="newcomer@example.org", password=PASSWORD, language="en"):
    return client.post(
        f"/{language}/accounts/signup/",
        {"email": email, "password1": password, "password2": password},
    )


def test_sign_up_sends_a_verification_mail_and_blocks_participation_until_verified(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get(email="newcomer@example.org")
    assert not can_participate(user)
    assert Profile.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert CONFIRM_LINK.search(mail.outbox[0].body)


def test_unverified_accounts_cannot_sign_in(client):
    sign_up(client)
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": "newcomer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_following_the_link_verifies_signs_in_and_leads_to_the_profile(client):
    sign_up(client)
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/en/profile/"
    user = User.objects.get(email="newcomer@example.org")
    assert can_participate(user)
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(
        "/en/profile/",
        {
            "display_name": "Ana Pérez",
            "country": "MX",
            "organisation": "SENASICA",
            "stakeholder_category": "party",
            "preferred_language": "es",
            "show_name_publicly": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/profile/"  # continues in the chosen language
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.country.code, profile.stakeholder_category) == (
        "Ana Pérez",
        "MX",
        "party",
    )
    assert profile.public_label() == "Ana Pérez"


def test_signing_up_in_chinese_sends_the_mail_in_chinese_and_prefers_chinese(client):
    sign_up(client, language="zh-hans")
    user = User.objects.get(email="newcomer@example.org")
    assert user.profile.preferred_language == "zh-hans"
    body = mail.outbox[0].body
    assert "/zh-hans/accounts/confirm-email/" in body
    assert re.search(r"[\u4e00-\u9fff]", mail.outbox[0].subject + body)


def test_a_taken_address_is_named_on_the_form_and_creates_nothing(client):
    make_user(email="taken@example.org")
    response = sign_up(client, email="TAKEN@example.org")
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert mail.outbox == []


def test_a_taken_address_is_explained_in_chinese_on_the_chinese_form(client):
    make_user(email="taken@example.org")
    response = sign_up(client, email="taken@example.org", language="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert "already registered" not in html
    assert "已经" in html  # allauth: "此邮箱已经被注册。" or similar


@pytest.mark.parametrize(
    "email", ["not-an-email", "a@", "@example.org", "a b@example.org", "x" * 300 + "@e.org"]
)
def test_a_malformed_address_is_refused_with_a_reason(client, email):
    response = sign_up(client, email=email)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("8472910365", "entirely numeric"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(client, password, reason):
    response = sign_up(client, password=password)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not User.objects.exists()


def test_a_weak_password_is_explained_in_chinese(client):
    response = sign_up(client, password="short1", language="zh-hans")
    html = response.content.decode()
    assert "too short" not in html
    assert "密码" in html


def test_mismatched_passwords_are_refused(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "a@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()


def test_double_submitted_sign_up_creates_one_account(client):
    sign_up(client)
    client.logout()
    response = sign_up(client)
    assert response.status_code == 200
    assert User.objects.count() == 1


def test_password_reset_mails_a_working_link(client):
    make_user(email="forgetful@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/en/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link
    response = client.get(link.group(1), follow=True)
    new = "a-brand-new-passphrase-42"
    response = client.post(response.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert response.status_code == 302
    assert User.objects.get(email="forgetful@example.org").check_password(new)


def test_adding_an_e_mail_address_requires_verifying_it(client):
    user = make_user(email="old@example.org")
    client.force_login(user)
    response = client.post("/en/accounts/email/", {"email": "new@example.org", "action_add": ""})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=user, email="new@example.org", verified=False).exists()
    assert mail.outbox[-1].to == ["new@example.org"]


def test_after_sign_in_the_site_continues_in_the_preferred_language(client):
    make_user(email="li@example.org", preferred_language="zh-hans")
    response = client.post("/en/accounts/login/", {"login": "li@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/profile/"
    html = client.get(response["Location"]).content.decode()
    assert "Successfully signed in" not in html  # the message follows the language too


def test_account_mails_use_the_recipients_preferred_language(client):
    make_user(email="li@example.org", preferred_language="zh-hans")
    client.post("/en/accounts/password/reset/", {"email": "li@example.org"})
    message = mail.outbox[-1]
    assert re.search(r"[\u4e00-\u9fff]", message.subject + message.body)
