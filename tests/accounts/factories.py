import itertools

from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.services import profile_update, user_set_roles

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(*, email=None, verified=True, roles=(), password=PASSWORD, **profile) -> User:
    email = email or f"user{next(_seq)}@example.org"
    user = User.objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if roles:
        user_set_roles(user=user, roles=roles)
    profile.setdefault("display_name", email.split("@")[0])
    profile_update(user=user, **profile)
    return user


def deactivate_in_bulk(*users):
    """A superuser marks `users` inactive with the Wagtail admin's bulk action (one UPDATE, no
    model signal); the admin's response."""
    from django.test import Client
    from django.urls import reverse

    admin = Client()
    admin.force_login(User.objects.create_superuser(email=f"root{next(_seq)}@example.org"))
    url = reverse(
        "wagtail_bulk_action",
        args=(User._meta.app_label, User._meta.model_name, "set_active_state"),
    )
    ids = "&".join(f"id={user.pk}" for user in users)
    return admin.post(f"{url}?{ids}", {"mark_as_active": False})
