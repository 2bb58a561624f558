"""The moderation audit log, read-only, in the Wagtail admin for those who moderate."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.rules import is_consultation_officer, is_moderator

from .moderation import ModerationLog


class AuditLogPermissionPolicy(ModelPermissionPolicy):
    """Anyone who moderates may read the log; nobody may write to it through the admin."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        return user.is_superuser or is_moderator(user) or is_consultation_officer(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ModerationLog, AuditLogPermissionPolicy(ModerationLog), exact_class=True)

SUMMARY_FIELDS = ["created_at", "action", "from_status", "to_status", "actor", "reason_code"]


class ModerationLogViewSet(ModelViewSet):
    model = ModerationLog
    icon = "history"
    menu_label = _("Moderation log")
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["note"]  # required by ModelViewSet; editing is refused by the policy
    list_display = [*SUMMARY_FIELDS, "item"]
    list_filter = ["action", "to_status", "reason_code"]
    inspect_view_fields = [*SUMMARY_FIELDS, "reason", "note", "content_type", "object_id"]

    def get_queryset(self, request):
        return ModerationLog.objects.select_related("actor", "content_type")


@hooks.register("register_admin_viewset")
def register_moderation_log():
    return ModerationLogViewSet("moderation_log")
