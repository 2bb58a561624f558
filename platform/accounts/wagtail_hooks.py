"""Roles reach a new area of the page tree as soon as it exists (accounts/areas.py)."""

from wagtail import hooks

from .areas import is_area_root, roles_grant


@hooks.register("after_create_page")
@hooks.register("after_publish_page")
def _grant_roles_on_new_areas(request, page):
    # A course or consultation index added (or a translation of one published) by a
    # superuser: its editors, reviewers or officers may work below it at once.
    if is_area_root(page):
        roles_grant()
