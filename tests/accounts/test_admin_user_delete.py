"""Deleting an account in the Wagtail admin whose contributions the record keeps (forum posts and
threads, cohorts run) is refused with the reason, not a 500 (found by the URL sweep: Wagtail
only knows the references it indexes, and the database's PROTECT raised)."""

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
