"""The course page tree: CourseIndexPage → CoursePage → ModulePage → LessonPage.

Pages hold what editors write; what learners do lives in plain models (learning.py …),
keyed by the pages' `translation_key`, so that progress made in the Chinese course counts in
the English one and the other way round.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import SITE, CachedPage

from ..blocks import ASSESSMENT_TYPES, LessonBodyBlock


class CourseTreePage(CachedPage):
    """A course and its modules and lessons share one tag: each shows the course outline."""

    # Root (depth 1) → home → course index → course: the course's path is 4 steps long.
    COURSE_PATH_LENGTH = 4 * Page.steplen

    def page_cache_tags(self):
        return [f"course:{self.path[: self.COURSE_PATH_LENGTH]}"]

    @staticmethod
    def page_cache_changed_tags(page):
        return [f"course:{page.path[: CourseTreePage.COURSE_PATH_LENGTH]}", "courses-list"]

    @classmethod
    def cache_keys_ahead(cls, *, page_pk: int, path: str, user_pk) -> list[str]:
        """What serving this page to `user_pk` will read from the cache (its outline, the
        reader's state, a lesson's text), for core.page_routes to read together."""
        from ..learner_cache import course_page_keys

        lesson_pk = page_pk if cls is LessonPage else None
        return course_page_keys(user_pk, path[: cls.COURSE_PATH_LENGTH], lesson_pk)


class CourseIndexPage(CachedPage, Page):
    """The list of courses (at /<lang>/courses/)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index")

    def page_cache_tags(self):
        return ["courses-list"]

    @staticmethod
    def page_cache_changed_tags(page):
        return [SITE]  # the header's "Courses" link

    def get_context(self, request, *args, **kwargs):
        from ..views import course_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_index_context(request, self))
        return context


class CoursePage(CourseTreePage, Page):
    summary = models.TextField(_("summary"), help_text=_("One to three sentences"))
    audience = models.TextField(_("audience"), blank=True)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line")
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=4, decimal_places=1, default=1
    )
    version = models.CharField(
        _("version"),
        max_length=40,
        default="1",
        help_text=_("Printed on certificates. Change it when the content changes materially."),
    )
    sequential = models.BooleanField(
        _("sequential"),
        default=False,
        help_text=_("A module opens only when the previous one is complete."),
    )
    issuer = models.CharField(
        _("certificate issuer"),
        max_length=200,
        blank=True,
        help_text=_("Printed on certificates; the site name when empty."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_hours"),
                FieldPanel("version"),
                FieldPanel("sequential"),
                FieldPanel("issuer"),
            ],
            heading=_("Running the course"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from ..views import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from ..views import course_post

            return course_post(request, self)
        return super().serve(request, *args, **kwargs)


class ModulePage(CourseTreePage, Page):
    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from ..views import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(request, self))
        return context


class LessonPage(CourseTreePage, Page):
    summary = models.TextField(_("summary"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=15)
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Needed for the certificate")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    # The ids and kinds of the body's assessment blocks, kept in step with the body on every
    # save, so that progress pages know what each lesson asks without loading its body.
    assessments = models.JSONField(default=list, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("minutes"), FieldPanel("required")], heading=_("Lesson")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("lesson")

    def assessment_blocks(self) -> list[dict]:
        return [
            {"id": str(child.id), "kind": child.block_type}
            for child in self.body
            if child.block_type in ASSESSMENT_TYPES
        ]

    def save(self, *args, **kwargs):
        self.assessments = self.assessment_blocks()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..views import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from ..views import lesson_post

            return lesson_post(request, self)
        return super().serve(request, *args, **kwargs)
