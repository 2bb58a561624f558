"""Roles reach a new area of the page tree as soon as it exists (accounts/areas.py); an
account whose contributions the record keeps is deactivated, not deleted; accounts
(de)activated in bulk are signed out everywhere at once."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from wagtail import hooks

from core.account_cache import account_changed
from core.live.control import reauthorise_user

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


@hooks.register("after_bulk_action")
def _accounts_changed_in_bulk(request, action_type, objects, action_class_instance):
    # Wagtail's "set active state" writes the rows with one UPDATE, which sends no model
    # signal: the cached accounts (core.account_cache) and the open sockets (core.live) are
    # told here, as a save would have told them.
    model = getattr(action_class_instance, "model", None)
    if action_type != "set_active_state" or model is not get_user_model():
        return
    for user in objects:
        account_changed(model, user)
        reauthorise_user(user.pk, reason="account")
