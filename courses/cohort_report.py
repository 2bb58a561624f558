"""The facilitator's view of a cohort: participants × modules, scores, who has stalled.

A fixed number of queries whatever the cohort's size: members (with profiles), the course
outline (two), completions, attempts (aggregated in the database) and enrolments."""

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import AssessmentAttempt, CohortMembership, Enrolment, LessonCompletion
from .progress import Outline, progress_from

STALLED_AFTER = timedelta(days=14)


@dataclass
class MemberRow:
    membership: CohortMembership
    name: str
    organisation: str
    country: str
    module_percents: list[int]
    percent: int
    assessments_passed: int
    assessments_total: int
    best_average: int | None
    attempts: int
    last_activity: object
    completed: bool
    stalled: bool

    # Preformatted for the 200-row table: a template filter per cell costs more than the rest
    # of the page.
    @property
    def module_cells(self) -> list[str]:
        return [f"{p}%" for p in self.module_percents]

    @property
    def activity_iso(self) -> str:
        return self.last_activity.isoformat()

    @property
    def activity_text(self) -> str:
        return self.last_activity.astimezone(UTC).strftime("%Y-%m-%d %H:%M")

    @property
    def score_text(self) -> str:
        return "–" if self.best_average is None else f"{self.best_average}%"


@dataclass
class CohortReport:
    cohort: object
    outline: Outline
    rows: list[MemberRow] = field(default_factory=list)

    @property
    def stalled_count(self) -> int:
        return sum(1 for r in self.rows if r.stalled)

    @property
    def completed_count(self) -> int:
        return sum(1 for r in self.rows if r.completed)


def cohort_report(cohort, outline: Outline, *, now=None) -> CohortReport:
    now = now or timezone.now()
    key = cohort.course_key
    memberships = list(
        cohort.memberships.select_related("user__profile").order_by("joined_at", "pk")
    )
    user_ids = [m.user_id for m in memberships]
    completed: dict[int, set] = {}
    for user_id, lesson_key in LessonCompletion.objects.filter(
        user_id__in=user_ids, course_key=key
    ).values_list("user_id", "lesson_key"):
        completed.setdefault(user_id, set()).add(lesson_key)
    best: dict[int, dict] = {}
    for row in (
        AssessmentAttempt.objects.filter(user_id__in=user_ids, course_key=key)
        .values("user_id", "lesson_key", "block_id")
        .annotate(best=Max("score"), n=Count("id"), passes=Count("id", filter=Q(passed=True)))
    ):
        best.setdefault(row["user_id"], {})[(row["lesson_key"], row["block_id"])] = row
    activity = dict(
        Enrolment.objects.filter(user_id__in=user_ids, course_key=key).values_list(
            "user_id", "last_activity_at"
        )
    )
    assessment_ids = outline.assessment_ids
    report = CohortReport(cohort=cohort, outline=outline)
    for m in memberships:
        blocks = {b: r for b, r in best.get(m.user_id, {}).items() if b in assessment_ids}
        passed = {b for b, r in blocks.items() if r["passes"]}
        progress = progress_from(
            outline, completed=completed.get(m.user_id, set()), passed=passed, sequential=False
        )
        last = activity.get(m.user_id) or m.joined_at
        done = progress.certificate_eligible
        profile = getattr(m.user, "profile", None)
        report.rows.append(
            MemberRow(
                membership=m,
                name=(getattr(profile, "display_name", "") or m.user.email),
                organisation=getattr(profile, "organisation", ""),
                country=str(getattr(profile, "country", "") or ""),
                module_percents=[mp.percent for mp in progress.modules],
                percent=progress.percent,
                assessments_passed=len(passed),
                assessments_total=len(assessment_ids),
                best_average=(
                    round(sum(r["best"] for r in blocks.values()) / len(blocks)) if blocks else None
                ),
                attempts=sum(r["n"] for r in blocks.values()),
                last_activity=last,
                completed=done,
                stalled=not done and now - last > STALLED_AFTER,
            )
        )
    return report


def csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: defuse them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
