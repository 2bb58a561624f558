"""The course outline shown beside a lesson: every module and lesson with its mark (done,
current, locked), plus the lesson before and after.

Built from the outline and progress the lesson page has already loaded, so it costs no query
(the lesson page's query budget stays flat however long the course is).
"""

from dataclasses import dataclass, field

from .progress import LessonInfo, Progress


@dataclass(frozen=True)
class NavLesson:
    page: object
    done: bool
    current: bool
    locked: bool


@dataclass
class NavModule:
    page: object
    is_open: bool
    done: int
    total: int
    has_current: bool = False
    lessons: list[NavLesson] = field(default_factory=list)


def lesson_navigation(progress: Progress, current: LessonInfo | None) -> list[NavModule]:
    """Modules in course order, each with its lessons; a lesson in a module not yet open to
    this learner is locked (shown, not linked), the lesson being read is current."""
    current_key = current.key if current is not None else None
    modules = []
    for mp in progress.modules:
        nav = NavModule(page=mp.module.page, is_open=mp.is_open, done=mp.done, total=mp.total)
        for lesson in mp.module.lessons:
            is_current = lesson.key == current_key
            nav.has_current = nav.has_current or is_current
            nav.lessons.append(
                NavLesson(
                    page=lesson.page,
                    done=lesson.key in progress.completed,
                    current=is_current,
                    locked=not mp.is_open,
                )
            )
        modules.append(nav)
    return modules
