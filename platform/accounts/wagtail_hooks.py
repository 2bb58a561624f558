"""Roles reach a new area of the page tree as soon as it exists (accounts/areas.py); an
account whose contributions the record keeps is deactivated, not deleted."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from .areas import is_area_root, roles_grant
from .services import account_deletion_refusal


@hooks.register("after_create_page")
@hooks.register("after_publish_page")
def _grant_roles_on_new_areas(request, page):
    # A course or consultation index added (or a translation of one published) by a
    # superuser: its editors, reviewers or officers may work below it at once.
    if is_area_root(page):
        roles_grant()


@hooks.register("before_delete_user")
def _refuse_deleting_kept_contributions(request, user):
    refusal = account_deletion_refusal(user)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailusers_users:edit", user.pk)
    return None
