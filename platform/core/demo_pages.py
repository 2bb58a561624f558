"""The demo's pages of every area, by name, at their English addresses: the one list that the
query-budget tests and the page benchmarks (bench/) walk."""

from consultations.models import ConsultationIndexPage, ConsultationPage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from forums.models import Forum, Thread


def _first_english(model):
    return model.objects.live().filter(locale__language_code="en").order_by("path").first()


def demo_page_urls(*, signed_in: bool = False) -> dict[str, str]:
    """Home, then each area's index and pages down to a lesson, an open consultation and a
    published thread; "my learning" too for a signed-in reader."""
    consultation = next(
        page
        for page in ConsultationPage.objects.live().filter(locale__language_code="en")
        if page.is_open
    )
    forum = Forum.objects.order_by("pk").first()
    thread = (
        Thread.objects.filter(group__forum=forum, published_at__isnull=False).order_by("pk").first()
    )
    urls = {
        "home": "/en/",
        "course index": _first_english(CourseIndexPage).url,
        "course": _first_english(CoursePage).url,
        "module": _first_english(ModulePage).url,
        "lesson": _first_english(LessonPage).url,
    }
    if signed_in:
        urls["my learning"] = "/en/courses/my-learning/"
    return urls | {
        "consultation index": _first_english(ConsultationIndexPage).url,
        "consultation": consultation.url,
        "forum index": "/en/forums/",
        "forum": forum.get_absolute_url(),
        "group": thread.group.get_absolute_url(),
        "thread": thread.get_absolute_url(),
    }
