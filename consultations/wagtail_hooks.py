"""A link in the Wagtail admin menu to the officers' screens (front-end views, so that the
same pages work for officers who never open the admin)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.rules import is_consultation_officer


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_consultation_officer(request.user)


@hooks.register("register_admin_menu_item")
def register_officer_menu_item():
    return OfficerMenuItem(
        _("Consultation comments"),
        reverse("consultations:officer_home"),
        icon_name="comment",
        order=850,
    )
