import pytest
from django.test import override_settings

from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_three_areas_with_helpful_empty_messages(client, site_shell):
    html = client.get("/en/").content.decode()
    for heading in ["Public consultations", "Discussion rounds", "Courses"]:
        assert f">{heading}</h2>" in html
    assert "No consultation is open for comment right now" in html
    assert "No discussion round is open right now" in html
    assert "No course is published yet" in html


def test_home_page_in_chinese_has_chinese_area_headings(client, demo):
    html = client.get("/zh-hans/").content.decode()
    assert "公众意见征求" in html


def test_home_page_query_count_is_small_and_fixed(client, demo, django_assert_max_num_queries):
    client.get("/en/")  # warm Wagtail's site cache
    with django_assert_max_num_queries(12):
        client.get("/en/")


@pytest.mark.parametrize("path", ["/en/no-such-page/", "/zh-hans/no/such/page/"])
def test_unknown_pages_get_the_site_404_in_the_right_language(client, demo, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="skip-link"' in html  # the site's own layout
    if path.startswith("/zh-hans/"):
        assert "找不到" in html or "未找到" in html


def test_a_bad_confirmation_key_is_explained_not_an_error(client, demo):
    response = client.get("/en/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "expired or is invalid" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_errors_render_the_site_500_page(client, demo, monkeypatch):
    from core.models import HomePage

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(HomePage, "get_context", explode)
    client.raise_request_exception = False
    response = client.get("/en/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_profile_page_needs_sign_in(client, demo):
    response = client.get("/en/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("country", "XX"),
        ("stakeholder_category", "overlord"),
        ("preferred_language", "de"),
        ("display_name", "x" * 81),
        ("organisation", "o" * 201),
        ("display_name", "nul\x00byte"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_saved(client, demo, field, value):
    user = make_user(display_name="Before")
    client.force_login(user)
    data = {
        "display_name": "After",
        "country": "KE",
        "organisation": "",
        "stakeholder_category": "ngo",
        "preferred_language": "en",
    }
    data[field] = value
    response = client.post("/en/profile/", data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Before"


def test_hostile_html_in_a_profile_is_shown_as_text(client, demo):
    user = make_user()
    client.force_login(user)
    client.post(
        "/en/profile/",
        {
            "display_name": "<script>alert(1)</script>",
            "country": "KE",
            "stakeholder_category": "ngo",
            "preferred_language": "en",
        },
    )
    html = client.get("/en/profile/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_public_label_hides_the_name_without_consent(db):
    user = make_user(
        display_name="Jane Roe", country="KE", stakeholder_category="ngo", show_name_publicly=False
    )
    assert user.profile.public_label() == "NGO or civil society · Kenya"


def test_demo_loader_is_idempotent(demo):
    from wagtail.models import Page

    from accounts.models import User
    from core.demo import demo_load

    pages, users = Page.objects.count(), User.objects.count()
    revisions = sum(p.revisions.count() for p in Page.objects.all())
    demo_load()
    assert (Page.objects.count(), User.objects.count()) == (pages, users)
    assert sum(p.revisions.count() for p in Page.objects.all()) == revisions


def test_demo_users_have_their_roles_and_can_sign_in(client, demo):
    from accounts.rules import can_participate, is_consultation_officer, is_moderator

    users = {u.email: u for u in demo["users"]}
    assert is_moderator(users["moderator@example.org"])
    assert is_consultation_officer(users["officer@example.org"])
    assert not is_moderator(users["participant@example.org"])
    assert all(can_participate(u) for u in users.values())
    assert client.login(username="moderator@example.org", password="biosafety-demo")


def test_a_post_without_csrf_token_gets_the_site_page_explaining_it(demo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/zh-hans/accounts/login/", {"login": "a@b.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="skip-link"' in html
    assert '<html lang="zh-hans"' in html


def test_health_answers_get_and_head_for_load_balancers(client, db):
    assert client.get("/health/").json()["database"] == "ok"
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
