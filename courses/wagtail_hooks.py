"""Wagtail admin for the courses app.

Editors and superusers read learner records (certificates, cohorts) in the admin, to answer
"is this certificate ours?" and "who runs that workshop?" without a database console. The
records are written only by the site's services, so the admin offers no add, edit or delete.
Facilitators work on the site's own cohort pages.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.roles import Role
from accounts.rules import is_editor

from .models import Certificate, Cohort, CourseIndexPage
from .selectors import nav_link_forget


class ReadOnlyForEditors(BasePermissionPolicy):
    """View only, for editors and superusers."""

    def user_has_permission(self, user, action):
        return bool(action == "view" and user.is_active and (user.is_superuser or is_editor(user)))

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(groups__name=Role.EDITORS.value), is_active=True
            )
            .distinct()
        )


for _model in (Certificate, Cohort):
    register_permission_policy(_model, ReadOnlyForEditors(_model), exact_class=True)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = ["code", "holder_name", "course_title", "course_version", "issued_at"]
    list_filter = ["course_version", "language"]
    search_fields = ["code", "holder_name", "course_title"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # no forms are served; the policy refuses add and change


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "join_code", "is_open", "facilitator", "created_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "join_code"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []


class LearningRecordsGroup(ModelViewSetGroup):
    items = (CertificateViewSet("course_certificates"), CohortViewSet("course_cohorts"))
    menu_label = _("Learning records")
    menu_icon = "tasks"


@hooks.register("register_admin_viewset")
def register_learning_records():
    return LearningRecordsGroup()


@hooks.register("after_publish_page")
@hooks.register("after_unpublish_page")
@hooks.register("after_delete_page")
@hooks.register("after_move_page")
def _forget_nav_link(request, page):
    # The header's "Courses" link is cached; a course index changing state refreshes it.
    if isinstance(page.specific_deferred, CourseIndexPage):
        nav_link_forget()
