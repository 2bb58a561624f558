"""The admin's user screens (found by the URL sweep). Deleting an account whose contributions
the record keeps (forum posts and threads, cohorts run) is refused with the reason, not a 500:
Wagtail only knows the references it indexes, and the database's PROTECT raised. A group id
beyond the database's range is a refused choice."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.forums.factories import make_group, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_an_account_with_forum_posts_is_not_deleted_and_the_admin_says_why(client):
    group = make_group()
    writer = make_participant(group.forum, email="writer@example.org")
    make_post(make_thread(group), author=writer)
    admin = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    client.force_login(admin)

    response = client.post(reverse("wagtailusers_users:delete", args=[writer.pk]), follow=True)

    assert response.status_code == 200
    assert User.objects.filter(pk=writer.pk).exists()
    assert "deactivate" in response.content.decode().lower()


def test_an_account_without_kept_contributions_is_still_deleted(client):
    admin = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    other = User.objects.create_user(email="other@example.org", password="x" * 12)
    client.force_login(admin)
    response = client.post(reverse("wagtailusers_users:delete", args=[other.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(pk=other.pk).exists()


def test_a_group_id_beyond_any_record_is_refused_on_the_user_forms(client):
    """Found by the URL sweep: a huge id among a user's groups was a 500 (the id overflowed the
    database's integer) instead of a refused choice."""
    admin = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    other = User.objects.create_user(email="other@example.org", password="x" * 12)
    client.force_login(admin)
    huge = ["99999999999999999999999"]
    edit = reverse("wagtailusers_users:edit", args=[other.pk])
    response = client.post(edit, {"email": other.email, "is_active": "on", "groups": huge})
    assert response.status_code == 200  # the form again, with the error
    assert "groups" in response.context["form"].errors
    new = {"email": "new@example.org", "password1": "x-long-pass-1", "password2": "x-long-pass-1"}
    response = client.post(reverse("wagtailusers_users:add"), {**new, "groups": huge})
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()
