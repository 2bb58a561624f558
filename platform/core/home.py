"""The home page's three areas, each with its live list from the feature that owns it."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: Promise
    blurb: str
    items: list = field(default_factory=list)
    empty_message: Promise = _("Nothing here yet.")


def home_sections(page) -> list[HomeSection]:
    # Imported here: the feature apps import core, not the other way round at load time.
    from consultations.selectors import consultations_for_home
    from courses.selectors import courses_for_home
    from forums.selectors import rounds_for_home

    return [
        HomeSection(
            key="consultations",
            title=_("Public consultations"),
            blurb=page.consultations_intro,
            items=consultations_for_home(),
            empty_message=_(
                "No consultation is open for comment right now. Upcoming comment periods "
                "will be listed here with their deadlines."
            ),
        ),
        HomeSection(
            key="forums",
            title=_("Discussion rounds"),
            blurb=page.forums_intro,
            items=rounds_for_home(),
            empty_message=_(
                "No discussion round is open right now. When a moderated round opens, "
                "you can join it from here."
            ),
        ),
        HomeSection(
            key="courses",
            title=_("Courses"),
            blurb=page.courses_intro,
            items=courses_for_home(),
            empty_message=_(
                "No course is published yet. Courses on identifying and documenting "
                "living modified organisms will appear here."
            ),
        ),
    ]


def next_change():
    """When the home page's lists next change by themselves: a comment period or a round
    opening or closing (core.page_cache keeps the cached page no longer)."""
    from consultations.selectors import next_deadline
    from forums.selectors import next_round_change

    moments = [m for m in (next_deadline(), next_round_change()) if m is not None]
    return min(moments, default=None)
