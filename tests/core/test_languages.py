import re

import pytest

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_prefix_shows_the_chinese_home_page(client, demo):
    html = client.get("/zh-hans/").content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "生物安全公众参与平台" in html
    assert "跳到主要内容" in html  # the skip link, part of our own UI


def test_arabic_is_right_to_left(client, demo):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("code", ["en", "fr", "ru", "es", "ar", "zh-hans"])
def test_every_declared_language_serves_the_home_page(client, demo, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    assert f'<html lang="{code}"' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/de/", "/en/"),
        ("/pt-br/accounts/login/", "/en/accounts/login/"),
        ("/zh-cn/", "/zh-hans/"),
        ("/zh/accounts/signup/?next=/x/", "/zh-hans/accounts/signup/?next=/x/"),
        ("/ZH-HANS/", "/zh-hans/"),
        ("/fr-ca/", "/fr/"),
    ],
)
def test_an_unknown_language_prefix_goes_to_a_served_language(client, demo, path, target):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_a_path_without_prefix_gets_one(client, demo):
    response = client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/"


def test_the_switcher_moves_to_the_same_page_in_the_chosen_language(client, demo):
    response = client.post(
        "/en/i18n/setlang/", {"language": "zh-hans", "next": "/en/accounts/login/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/accounts/login/"
    # …and remembers the choice for the bare address.
    assert client.get("/")["Location"] == "/zh-hans/"


def test_the_switcher_ignores_an_unknown_language_and_foreign_next(client, demo):
    response = client.post("/en/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code in (302, 204)
    assert "evil.example" not in response.get("Location", "")


def test_the_switcher_lists_all_six_languages_by_their_own_names(client, demo):
    html = client.get("/en/").content.decode()
    for name in ["العربيّة", "简体中文", "English", "français", "Русский", "español"]:
        assert name in html


def test_allauth_pages_are_in_chinese(client, demo):
    for path in [
        "/zh-hans/accounts/login/",
        "/zh-hans/accounts/signup/",
        "/zh-hans/accounts/password/reset/",
    ]:
        html = client.get(path).content.decode()
        assert '<html lang="zh-hans"' in html
        assert CJK.search(html)


@pytest.mark.parametrize(
    ("browser", "page", "choice", "target"),
    [
        ("zh-CN,zh;q=0.9", "/en/", "zh-hans", "/zh-hans/"),
        ("en-GB,en;q=0.9", "/zh-hans/accounts/login/", "en", "/en/accounts/login/"),
        ("fr-FR,fr;q=0.9", "/en/", "ar", "/ar/"),
        ("ar", "/ar/accounts/signup/", "ru", "/ru/accounts/signup/"),
    ],
)
def test_the_switcher_works_whatever_the_browser_language(
    client, demo, browser, page, choice, target
):
    form_action = "/" + page.strip("/").split("/")[0] + "/i18n/setlang/"
    response = client.post(
        form_action, {"language": choice, "next": page}, HTTP_ACCEPT_LANGUAGE=browser
    )
    assert response.status_code == 302
    assert response["Location"] == target


def test_english_content_inside_an_arabic_page_is_marked_as_english(client, site_shell):
    # Without an Arabic home page (the demo has one), /ar/ shows the English one.
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div lang="en" dir="ltr">' in html
