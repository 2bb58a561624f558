from django.db import models
from django.http import Http404
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from .home import home_sections
from .moderation import ModerationLog  # noqa: F401 - registers the model with the app
from .page_cache import SITE, CachedPage


class HomePage(CachedPage, Page):
    """The site's front door: what the platform is, and the three areas with their live lists."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    consultations_intro = models.TextField(_("consultations blurb"), blank=True)
    forums_intro = models.TextField(_("discussion rounds blurb"), blank=True)
    courses_intro = models.TextField(_("courses blurb"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("consultations_intro"),
                FieldPanel("forums_intro"),
                FieldPanel("courses_intro"),
            ],
            heading=_("The three areas"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    # The home page lists open consultations, rounds and courses of every language tree.
    def page_cache_tags(self):
        return ["consultations-list", "courses-list", "rounds"]

    def page_cache_until(self):
        from .home import next_change

        return next_change()

    @staticmethod
    def page_cache_changed_tags(page):
        return [SITE]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(self)
        # Without a translation Wagtail serves the default-language page: mark its language,
        # so screen readers read English text as English inside an Arabic page.
        from .templatetags.site_ui import locale_code

        code = locale_code(self.locale_id)  # no query: the page's locale row is not loaded
        context["content_lang"] = code
        context["content_dir"] = "rtl" if get_language_info(code)["bidi"] else "ltr"
        return context

    def route(self, request, path_components):
        """A page not translated into this home page's language (a course, kept in English and
        Chinese) is served from the default language's tree, as Wagtail serves the default home
        page for a language that has no home page of its own."""
        from wagtail.url_routing import RouteResult

        from .page_routes import route_below

        # Where the walk began, for the route cache (core.page_routes): a page published
        # below this home page can change where a path leads (a translation takes over).
        if not hasattr(request, "_route_home_pk"):
            request._route_home_pk = self.pk
        page = route_below(self, path_components)
        if page is not None:
            return RouteResult(page)
        try:
            return super().route(request, path_components)
        except Http404:
            default = self.get_translation_or_none(Locale.get_default())
            if not path_components or default is None or default.pk == self.pk:
                raise
            return default.specific.route(request, path_components)
