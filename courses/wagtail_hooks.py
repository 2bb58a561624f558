"""Wagtail admin for the courses app: learner records are read in the admin (editors and
superusers); facilitators work on the site's cohort pages."""

from wagtail import hooks

from .models import CourseIndexPage
from .selectors import nav_link_forget


@hooks.register("after_publish_page")
@hooks.register("after_unpublish_page")
@hooks.register("after_delete_page")
@hooks.register("after_move_page")
def _forget_nav_link(request, page):
    # The header's "Courses" link is cached; a course index changing state refreshes it.
    if isinstance(page.specific_deferred, CourseIndexPage):
        nav_link_forget()
