"""Content in any of the six languages for the search tests: course pages, consultations,
forum posts and comments, written as editors and participants would write them."""

import json
import uuid

from wagtail.models import Locale

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.consultations.factories import make_consultation, sections_json
from tests.forums.factories import make_forum, make_group, make_participant, make_post, make_thread

# One sentence per language about the same thing, and a word of it to search for (another
# form of the word where the language inflects it: stemming must bridge the two).
PHRASES = {
    "en": ("Farmers worry about seed contamination near the border", "contaminated"),
    "fr": ("Les agriculteurs s'inquiètent de la contamination des semences", "semence"),
    "es": ("Los agricultores temen la contaminación de las semillas", "semilla"),
    "ru": ("Фермеры обеспокоены загрязнением семян у границы", "загрязнение"),
    "ar": ("يخشى المزارعون تلوث البذور قرب الحدود", "بذور"),
    "zh-hans": ("农民担心边境附近的种子污染", "种子"),
}


def home_in(home, language: str):
    """The home page in `language`, published (translated from the default one if needed)."""
    locale = Locale.objects.get(language_code=language)
    page = home.get_translation_or_none(locale)
    if page is None:
        page = home.copy_for_translation(locale)
    page.specific.save_revision().publish()
    return page.specific


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def course_tree(
    home,
    language="en",
    *,
    course="A course",
    module="A module",
    lesson="A lesson",
    body=None,
    summary="",
):
    """Course index → course → module → lesson in `language`, all published."""
    root = home_in(home, language) if language != "en" else home
    index = CourseIndexPage.objects.child_of(root).first() or _publish_child(
        root, CourseIndexPage(title="Courses", slug="courses")
    )
    slug = uuid.uuid4().hex[:8]
    course_page = _publish_child(
        index, CoursePage(title=course, slug=f"course-{slug}", summary=summary or course)
    )
    module_page = _publish_child(
        course_page, ModulePage(title=module, slug=f"module-{slug}", summary="")
    )
    blocks = body or [{"type": "paragraph", "value": "<p>Text.</p>"}]
    return _publish_child(
        module_page,
        LessonPage(
            title=lesson,
            slug=f"lesson-{slug}",
            body=json.dumps([{**b, "id": str(uuid.uuid4())} for b in blocks]),
        ),
    )


def consultation_in(home, language="en", *, sections=None, **fields):
    """A consultation page written in `language` (its own page, under that language's
    consultation index)."""
    root = home_in(home, language) if language != "en" else home
    if sections is not None:
        fields["sections"] = sections_json(sections)
    return make_consultation(root, **fields)


def forum_thread(language="en", *, title="A thread", body="A post.", mode="post"):
    """An open group of a forum held in `language`, a published thread and its opening post."""
    forum = make_forum(language=language)
    group = make_group(forum=forum, state="open", mode=mode)
    author = make_participant(forum)
    thread = make_thread(group, author, title=title)
    post = thread.posts.get()
    post.body = f"<p>{body}</p>"
    post.save()
    return thread


__all__ = ["PHRASES", "course_tree", "consultation_in", "forum_thread", "make_post"]
