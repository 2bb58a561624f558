from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # Two configs live here (UsersAppConfig below replaces wagtail.users): this one is the
    # app's own, or Django would fall back to a bare AppConfig and skip ready().
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .rules import permissions_changed

        # The admin check is cached per person (rules.can_access_admin): any change of roles
        # or permissions asks again.
        user = get_user_model()
        for through in (
            user.groups.through,
            user.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(
                permissions_changed, sender=through, dispatch_uid=f"accounts.perms.{through}"
            )
        post_delete.connect(permissions_changed, sender=Group, dispatch_uid="accounts.perms.group")
        # A renamed group is another role: the cached role names ask again.
        post_save.connect(permissions_changed, sender=Group, dispatch_uid="accounts.perms.saved")
        # The verified address and the profile are cached per person too (rules.participant).
        from allauth.account.models import EmailAddress

        from .models import Profile
        from .rules import email_addresses_changed, profile_changed

        for signal in (post_save, post_delete):
            signal.connect(
                email_addresses_changed, sender=EmailAddress, dispatch_uid="accounts.emails"
            )
            signal.connect(profile_changed, sender=Profile, dispatch_uid="accounts.profile")


class UsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users with our user screens (accounts/admin_users.py)."""

    user_viewset = "accounts.admin_users.UserViewSet"
