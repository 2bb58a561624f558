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
