"""What a learner does: enrolments, completed lessons, assessment attempts.

Keyed by the pages' translation keys (one key for a page and all its translations), so a
lesson completed in Chinese is complete in English too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def in_course(self, course_key):
        return self.filter(course_key=course_key)


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    cohort = models.ForeignKey(
        "courses.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    # "Resume where you left off": the last lesson opened, and when the learner last did
    # anything (facilitators see who has stalled).
    last_lesson_key = models.UUIDField(null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.user} · {self.course_key}"


class LessonCompletion(models.Model):
    class How(models.TextChoices):
        MARKED = "marked", _("Marked complete")
        ASSESSED = "assessed", _("Assessments passed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    course_key = models.UUIDField(db_index=True)
    lesson_key = models.UUIDField()
    how = models.CharField(max_length=10, choices=How.choices)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="one_completion_per_lesson")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_key}"


class AttemptQuerySet(models.QuerySet):
    def passed(self):
        return self.filter(passed=True)

    def for_blocks(self, block_ids):
        return self.filter(block_id__in=[str(b) for b in block_ids])


class AssessmentAttempt(models.Model):
    """One submitted attempt at a quiz or exercise. Every attempt is kept (retakes add rows);
    `number` counts a learner's attempts at one block from 1, and the unique constraint turns
    a double submit into a refusal instead of a second row."""

    class Kind(models.TextChoices):
        QUIZ = "quiz", _("Quiz")
        IDENTIFIER = "identifier_exercise", _("Unique identifier exercise")
        DOCUMENT = "document_check", _("Shipping document check")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_attempts"
    )
    course_key = models.UUIDField(db_index=True)
    lesson_key = models.UUIDField()
    block_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)  # item id → right (bool)
    score = models.PositiveSmallIntegerField()  # per cent
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    language = models.CharField(max_length=10, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment attempt")
        ordering = ["submitted_at", "number"]
        constraints = [
            # The lesson is part of the key: a copied page keeps its blocks' ids.
            models.UniqueConstraint(
                fields=["user", "lesson_key", "block_id", "number"],
                name="one_attempt_per_number",
            )
        ]
        indexes = [models.Index(fields=["user", "lesson_key"])]

    def __str__(self):
        return f"{self.user} · {self.kind} #{self.number}: {self.score}%"
