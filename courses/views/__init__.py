"""Views of the courses app: page contexts and POSTs (pages.py), learner and public pages
(learning.py, public.py), facilitators' cohorts (cohorts.py)."""

from .pages import (  # noqa: F401
    course_context,
    course_index_context,
    course_post,
    lesson_context,
    lesson_post,
    module_context,
)
