"""A course's outline (modules and lessons, two queries) and a learner's progress through it.

Progress counts required lessons (all lessons, in a module without required ones). A module
is complete when its counted lessons are; in a sequential course a module opens when the one
before it is complete. A certificate needs every required lesson complete and every
assessment in the course passed.
"""

from dataclasses import dataclass, field

from .models import AssessmentAttempt, LessonCompletion, LessonPage, ModulePage


@dataclass
class LessonInfo:
    page: LessonPage
    module_index: int

    @property
    def key(self):
        return self.page.translation_key

    @property
    def assessment_ids(self) -> list[str]:
        return [a["id"] for a in self.page.assessments]


@dataclass
class ModuleInfo:
    page: ModulePage
    index: int
    lessons: list[LessonInfo] = field(default_factory=list)

    @property
    def counted(self) -> list[LessonInfo]:
        required = [lesson for lesson in self.lessons if lesson.page.required]
        return required or self.lessons


@dataclass
class Outline:
    course: object
    modules: list[ModuleInfo]

    @property
    def lessons(self) -> list[LessonInfo]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def assessment_ids(self) -> set[tuple]:
        """(lesson key, block id) of every assessment: block ids alone repeat when an editor
        copies a lesson."""
        return {(lesson.key, bid) for lesson in self.lessons for bid in lesson.assessment_ids}

    @property
    def required_keys(self) -> set:
        return {lesson.key for lesson in self.lessons if lesson.page.required}

    def lesson(self, key) -> LessonInfo | None:
        return next((lesson for lesson in self.lessons if lesson.key == key), None)


def course_outline(course) -> Outline:
    """The live modules and lessons under `course`, in tree order (two queries)."""
    modules = [
        ModuleInfo(page=page, index=i)
        for i, page in enumerate(ModulePage.objects.live().child_of(course).order_by("path"))
    ]
    by_path = {m.page.path: m for m in modules}
    lessons = LessonPage.objects.live().descendant_of(course).defer("body").order_by("path")
    for page in lessons:
        module = by_path.get(page.path[: -page.steplen])
        if module is not None:
            module.lessons.append(LessonInfo(page=page, module_index=module.index))
    return Outline(course=course, modules=modules)


@dataclass
class ModuleProgress:
    module: ModuleInfo
    done: int
    total: int
    is_open: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_complete(self) -> bool:
        return self.done >= self.total


@dataclass
class Progress:
    outline: Outline
    completed: set
    passed: set
    modules: list[ModuleProgress]

    @property
    def done(self) -> int:
        return sum(m.done for m in self.modules)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def lesson_done(self, lesson: LessonInfo) -> bool:
        return lesson.key in self.completed

    def module_progress(self, module_page) -> ModuleProgress | None:
        return next((m for m in self.modules if m.module.page.pk == module_page.pk), None)

    @property
    def missing_lessons(self) -> list[LessonInfo]:
        return [
            lesson
            for lesson in self.outline.lessons
            if lesson.page.required and lesson.key not in self.completed
        ]

    @property
    def unpassed_assessments(self) -> set[tuple]:
        return self.outline.assessment_ids - self.passed

    @property
    def certificate_eligible(self) -> bool:
        """The course's rule: every required lesson complete, every assessment
        passed. Page visits count for nothing."""
        has_content = bool(self.outline.lessons)
        return has_content and not self.missing_lessons and not self.unpassed_assessments

    @property
    def next_lesson(self) -> LessonInfo | None:
        """The first open lesson not yet complete (where "continue" leads)."""
        for m in self.modules:
            if not m.is_open:
                return None
            for lesson in m.module.lessons:
                if lesson.key not in self.completed:
                    return lesson
        return None


def progress_from(
    outline: Outline,
    *,
    completed: set,
    passed: set,
    sequential: bool,
    bypass_sequence: bool = False,
) -> Progress:
    modules, previous_complete = [], True
    for module in outline.modules:
        counted = module.counted
        done = sum(1 for lesson in counted if lesson.key in completed)
        is_open = bypass_sequence or not sequential or previous_complete
        mp = ModuleProgress(module=module, done=done, total=len(counted), is_open=is_open)
        previous_complete = previous_complete and mp.is_complete
        modules.append(mp)
    return Progress(outline=outline, completed=completed, passed=passed, modules=modules)


def learner_state(user, course_key) -> tuple[set, set]:
    """(completed lesson keys, passed (lesson key, block id) pairs): two queries."""
    if not user.is_authenticated:
        return set(), set()
    completed = set(
        LessonCompletion.objects.filter(user=user, course_key=course_key).values_list(
            "lesson_key", flat=True
        )
    )
    passed = set(
        AssessmentAttempt.objects.passed()
        .filter(user=user, course_key=course_key)
        .values_list("lesson_key", "block_id")
    )
    return completed, passed


def learner_progress(user, outline: Outline, *, bypass_sequence: bool = False) -> Progress:
    completed, passed = learner_state(user, outline.course.translation_key)
    return progress_from(
        outline,
        completed=completed,
        passed=passed,
        sequential=outline.course.sequential,
        bypass_sequence=bypass_sequence,
    )
