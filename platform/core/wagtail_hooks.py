"""The moderation audit log, read-only, in the Wagtail admin for those who moderate."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.areas import MODERATION_LOG_AREAS
from accounts.rules import has_role

from .moderation import ModerationLog


class AuditLogPermissionPolicy(ModelPermissionPolicy):
    """Those who moderate an area read its decisions (ModerationLog.objects.visible_to);
    nobody may write to the log through the admin."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        return user.is_superuser or any(
            has_role(user, role) for role in MODERATION_LOG_AREAS.values()
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and ModerationLog.objects.visible_to(user).filter(pk=instance.pk).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return ModerationLog.objects.none()
        return ModerationLog.objects.visible_to(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return ModerationLog.objects.none()
        return ModerationLog.objects.visible_to(user)


register_permission_policy(ModerationLog, AuditLogPermissionPolicy(ModerationLog), exact_class=True)


class AuditLogIndexView(IndexView):
    def get_base_queryset(self):
        return ModerationLog.objects.visible_to(self.request.user).select_related(
            "actor", "content_type"
        )


class AuditLogInspectView(InspectView):
    def get_object(self, queryset=None):
        # Another area's decision is not found, as if it did not exist.
        pk = unquote(str(self.pk))
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(ModerationLog.objects.visible_to(self.request.user), pk=pk)


SUMMARY_FIELDS = ["created_at", "action", "from_status", "to_status", "actor", "reason_code"]


class ModerationLogViewSet(ModelViewSet):
    model = ModerationLog
    icon = "history"
    menu_label = _("Moderation log")
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    index_view_class = AuditLogIndexView
    inspect_view_class = AuditLogInspectView
    copy_view_enabled = False
    form_fields = ["note"]  # required by ModelViewSet; editing is refused by the policy
    list_display = [*SUMMARY_FIELDS, "item"]
    list_filter = ["action", "to_status", "reason_code"]
    inspect_view_fields = [*SUMMARY_FIELDS, "reason", "note", "content_type", "object_id"]


@hooks.register("register_admin_viewset")
def register_moderation_log():
    return ModerationLogViewSet("moderation_log")


@hooks.register("before_serve_document")
def documents_follow_their_pages(document, request):
    """A document shown only on unpublished or private pages is as hidden as they are: the
    same 404 as a document that does not exist (core.documents)."""
    from .documents import can_download_document

    if not can_download_document(request, document):
        raise Http404
