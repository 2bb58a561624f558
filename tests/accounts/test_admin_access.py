import pytest

from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", ["Editors", "Reviewers", "Moderators", "Facilitators", "Consultation officers"]
)
def test_every_role_can_open_the_wagtail_admin(client, demo, role):
    client.force_login(make_user(roles=[role]))
    assert client.get("/admin/").status_code == 200


def test_participants_without_a_role_are_kept_out_of_the_admin(client, demo):
    client.force_login(make_user())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_edit_the_demo_courses_but_not_the_home_page(client, demo):
    # Page permissions reach everything below the page they are given on, so roles get
    # their areas' index pages, and the home page (above every area) is superusers'.
    from courses.models import LessonPage

    client.force_login(make_user(roles=["Editors"]))
    lesson = LessonPage.objects.first()
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{demo['home'].pk}/edit/").status_code != 200


def test_superusers_can_manage_users_without_usernames(client, demo):
    admin = next(u for u in demo["users"] if u.is_superuser)
    client.force_login(admin)
    assert client.get("/admin/users/").status_code == 200
    participant = next(u for u in demo["users"] if u.email == "participant@example.org")
    assert client.get(f"/admin/users/edit/{participant.pk}/").status_code == 200
    response = client.post(
        "/admin/users/add/",
        {
            "email": "new.officer@example.org",
            "first_name": "New",
            "last_name": "Officer",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
