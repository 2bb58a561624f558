"""Course pages (Wagtail) and learner state (plain Django models)."""

from .certificates import Certificate
from .cohorts import Cohort, CohortMembership
from .learning import AssessmentAttempt, Enrolment, LessonCompletion
from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage

__all__ = [
    "AssessmentAttempt",
    "Certificate",
    "Cohort",
    "CohortMembership",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
]
