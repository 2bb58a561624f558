"""The forums in the Wagtail admin: forums and discussion groups (rounds) for editors, and a
moderation overview that leads each moderator to the live queues of the groups they moderate."""

from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.forms import ModelChoicesField
from core.moderation import ModerationStatus

from .models import DiscussionGroup, FlagStatus, Forum
from .rules import moderated_group_ids


class ForumViewSet(ModelViewSet):
    model = Forum
    icon = "group"
    menu_label = _("Forums")
    form_fields = [
        "title",
        "slug",
        "description",
        "organisers",
        "partner_organisations",
        "registration_policy",
        "language",
        "translations",
    ]
    list_display = ["title", "registration_policy", "created_at"]
    search_fields = ["title"]
    copy_view_enabled = False


class DiscussionGroupViewSet(ModelViewSet):
    model = DiscussionGroup
    icon = "list-ul"
    menu_label = _("Discussion groups")
    form_fields = [
        "forum",
        "number",
        "theme",
        "description",
        "guiding_questions",
        "lead_partners",
        "moderators",
        "opens_at",
        "closes_at",
        "moderation_mode",
        "translations",
    ]
    list_display = ["theme", "forum", "opens_at", "closes_at", "moderation_mode"]
    list_filter = ["forum", "moderation_mode"]
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.many_to_many:  # the moderators: an id out of range is a refused choice
            kwargs["form_class"] = ModelChoicesField
        return super().formfield_for_dbfield(db_field, **kwargs)


class ForumsAdmin(ViewSetGroup):
    menu_label = _("Forums")
    menu_icon = "group"
    menu_order = 300
    items = (ForumViewSet("forums_forum"), DiscussionGroupViewSet("forums_group"))


@hooks.register("register_admin_viewset")
def register_forums_admin():
    return ForumsAdmin()


class ModerationOverview(WagtailAdminTemplateMixin, TemplateView):
    """The groups this person moderates, with what waits in each queue."""

    template_name = "forums/admin/moderation_overview.html"
    page_title = _("Forum moderation")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        user = self.request.user
        groups = DiscussionGroup.objects.select_related("forum")
        if not user.is_superuser:
            groups = groups.filter(pk__in=moderated_group_ids(user))
        groups = groups.annotate(
            pending=Count(
                "posts",
                filter=Q(posts__moderation_status=ModerationStatus.PENDING),
                distinct=True,
            ),
            flagged=Count("posts", filter=Q(posts__flags__status=FlagStatus.OPEN), distinct=True),
        ).order_by("forum", "number")
        return {**super().get_context_data(**kwargs), "groups": groups}


@hooks.register("register_admin_urls")
def register_moderation_url():
    return [path("forums/moderation/", ModerationOverview.as_view(), name="forums_moderation")]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(request.user.is_superuser or moderated_group_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModeratorMenuItem(
        _("Forum moderation"), reverse("forums_moderation"), icon_name="tasks", order=310
    )
