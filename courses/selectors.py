"""Reads of the courses app for other parts of the site and for its own dashboards."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Locale

from core.area_links import Area, area_link

from .models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .progress import LessonInfo, ModuleInfo, Outline

NAV_CACHE_SECONDS = 300


@dataclass(frozen=True)
class HomeItem:
    url: str
    title: str
    note: str


def _active_locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return None


def courses_in_language() -> list:
    """Live, public courses in the reader's language, or in the default language where a
    course has no translation (a French reader sees the English course, not nothing). One
    query for the pages, one for view restrictions; the locale is joined, not looked up."""
    language = get_language() or settings.LANGUAGE_CODE
    pages = (
        CoursePage.objects.live()
        .public()
        .filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
        .select_related("locale")
        .order_by("path")
    )
    chosen: dict = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale.language_code == language:
            chosen[page.translation_key] = page
    return sorted(chosen.values(), key=lambda page: page.path)


def courses_for_home(limit: int = 6) -> list[HomeItem]:
    """The home page's course list: one query for the courses, one (cached) for the site's
    root paths that URLs are built from."""
    items = []
    for course in courses_in_language()[:limit]:
        hours = f"{course.estimated_hours.normalize():f}"
        items.append(
            HomeItem(
                url=course.get_url(),
                title=course.title,
                note=_("about %(hours)s hours") % {"hours": hours},
            )
        )
    return items


def _nav_key() -> str:
    return f"courses:nav:{get_language() or 'en'}"


def _nav_url() -> str:
    locale = _active_locale()
    qs = CourseIndexPage.objects.live().public()
    index = (qs.filter(locale=locale).first() if locale else None) or qs.first()
    return (index.get_url() or "") if index else ""


# The header's "Courses": the course index in the reader's language, cached per language;
# absent while no course index is published.
NAV = Area(gettext_lazy("Courses"), _nav_key, _nav_url, NAV_CACHE_SECONDS)


def nav_link():
    """("Courses", the course index in the reader's language), or None."""
    return area_link(NAV)


def nav_link_forget() -> None:
    """Called when a course index is published or unpublished."""
    cache.delete_many([f"courses:nav:{code}" for code, _name in settings.LANGUAGES])


def courses_by_key(keys) -> dict:
    """translation_key → course page in the reader's language (falling back to any
    translation): at most two queries."""
    keys = set(keys)
    if not keys:
        return {}
    locale = _active_locale()
    found = {
        c.translation_key: c
        for c in CoursePage.objects.live().filter(translation_key__in=keys, locale=locale)
    }
    missing = keys - set(found)
    if missing:
        for c in CoursePage.objects.live().filter(translation_key__in=missing).order_by("id"):
            found.setdefault(c.translation_key, c)
    return found


def outlines_for(courses) -> dict:
    """Outlines of several courses at once (two queries whatever their number)."""
    courses = list(courses)
    outlines = {c.pk: Outline(course=c, modules=[]) for c in courses}
    if not courses:
        return outlines
    module_q, lesson_q = Q(), Q()
    for c in courses:
        module_q |= Q(path__startswith=c.path, depth=c.depth + 1)
        lesson_q |= Q(path__startswith=c.path, depth=c.depth + 2)
    by_course_path = {c.path: c for c in courses}
    modules_by_path = {}
    for page in ModulePage.objects.live().filter(module_q).order_by("path"):
        course = by_course_path.get(page.path[: -page.steplen])
        if course is None:
            continue
        outline = outlines[course.pk]
        info = ModuleInfo(page=page, index=len(outline.modules))
        outline.modules.append(info)
        modules_by_path[page.path] = info
    for page in LessonPage.objects.live().filter(lesson_q).defer("body").order_by("path"):
        module = modules_by_path.get(page.path[: -page.steplen])
        if module is not None:
            module.lessons.append(LessonInfo(page=page, module_index=module.index))
    return outlines
