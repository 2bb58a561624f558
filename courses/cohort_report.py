"""The facilitator's view of a cohort: participants × modules, scores, who has stalled.

A fixed number of queries whatever the cohort's size: members (with profiles), the course
outline (two), completions counted per member and module, attempts aggregated per member and
block (both in the database), and enrolments."""

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import AssessmentAttempt, Enrolment, LessonCompletion
from .progress import Outline

STALLED_AFTER = timedelta(days=14)
NO_ATTEMPTS = {"attempts": 0, "passed": 0, "best_sum": 0, "tried": 0}


@dataclass
class MemberRow:
    joined_at: object
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


def _completion_counts(outline: Outline, user_ids, course_key) -> dict[int, dict]:
    """Per member: completed counted lessons per module ("m<index>") and completed required
    lessons ("required"), counted by the database (one GROUP BY user, one column per module),
    not by looping over completion rows."""
    columns = {
        f"m{m.index}": Count("id", filter=Q(lesson_key__in=[lesson.key for lesson in m.counted]))
        for m in outline.modules
    }
    columns["required"] = Count("id", filter=Q(lesson_key__in=outline.required_keys))
    rows = (
        LessonCompletion.objects.filter(user_id__in=user_ids, course_key=course_key)
        .values("user_id")
        .annotate(**columns)
        .order_by()
    )
    return {row["user_id"]: row for row in rows}


def _assessment_figures(outline: Outline, user_ids, course_key) -> dict[int, dict]:
    """Per member, over the course's current assessments: blocks passed, attempts, and the sum
    and number of the best scores of the blocks tried. Two levels of aggregate (the best per
    block, then per member), both in the database: the ORM builds the inner GROUP BY, which one
    outer GROUP BY sums (the ORM cannot aggregate over an aggregate)."""
    if not user_ids or not outline.assessment_ids:
        return {}  # (and an empty IN () cannot be written as SQL)
    current = Q(pk__in=[])
    for lesson_key, block_id in outline.assessment_ids:
        current |= Q(lesson_key=lesson_key, block_id=block_id)
    per_block = (
        AssessmentAttempt.objects.filter(current, user_id__in=user_ids, course_key=course_key)
        .values("user_id", "lesson_key", "block_id")
        .annotate(best=Max("score"), n=Count("id"), passes=Count("id", filter=Q(passed=True)))
        .order_by()
    )
    sql, params = per_block.query.sql_with_params()
    per_member = (
        "SELECT user_id, SUM(n), SUM(CASE WHEN passes > 0 THEN 1 ELSE 0 END), SUM(best), "  # noqa: S608 - only the ORM's own SQL is spliced in
        f"COUNT(*) FROM ({sql}) AS blocks GROUP BY user_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            per_member,
            params,
        )
        return {
            user_id: {"attempts": n, "passed": passed, "best_sum": best_sum, "tried": tried}
            for user_id, n, passed, best_sum, tried in cursor.fetchall()
        }


def is_stalled(row: MemberRow, now) -> bool:
    """No activity for STALLED_AFTER and not complete: the one cell that changes with time
    alone (courses.learner_cache keeps the rest)."""
    return not row.completed and now - row.last_activity > STALLED_AFTER


def cohort_report(cohort, outline: Outline, *, now=None) -> CohortReport:
    now = now or timezone.now()
    key = cohort.course_key
    # Rows, not model instances: 200 memberships, users and profiles cost more to build than
    # the rest of the report. Only the columns the table shows.
    memberships = list(
        cohort.memberships.order_by("joined_at", "pk").values(
            "joined_at",
            "user_id",
            "user__email",
            "user__profile__display_name",
            "user__profile__organisation",
            "user__profile__country",
        )
    )
    user_ids = [m["user_id"] for m in memberships]
    completions = _completion_counts(outline, user_ids, key)
    assessments = _assessment_figures(outline, user_ids, key)
    activity = dict(
        Enrolment.objects.filter(user_id__in=user_ids, course_key=key).values_list(
            "user_id", "last_activity_at"
        )
    )
    totals = [len(m.counted) for m in outline.modules]
    lesson_total = sum(totals)
    required_total = len(outline.required_keys)
    assessments_total = len(outline.assessment_ids)
    has_content = bool(outline.lessons)
    report = CohortReport(cohort=cohort, outline=outline)
    for m in memberships:
        user_id = m["user_id"]
        done = completions.get(user_id, {})
        figures = assessments.get(user_id, NO_ATTEMPTS)
        module_done = [done.get(f"m{module.index}", 0) for module in outline.modules]
        lessons_done = sum(module_done)
        # The course's rule (progress.Progress.certificate_eligible): every required lesson
        # complete, every assessment passed.
        eligible = (
            has_content
            and done.get("required", 0) >= required_total
            and figures["passed"] >= assessments_total
        )
        last = activity.get(user_id) or m["joined_at"]
        row = MemberRow(
            joined_at=m["joined_at"],
            name=m["user__profile__display_name"] or m["user__email"],
            organisation=m["user__profile__organisation"] or "",
            country=m["user__profile__country"] or "",
            module_percents=[
                round(100 * d / t) if t else 100 for d, t in zip(module_done, totals, strict=True)
            ],
            percent=round(100 * lessons_done / lesson_total) if lesson_total else 0,
            assessments_passed=figures["passed"],
            assessments_total=assessments_total,
            best_average=(
                round(figures["best_sum"] / figures["tried"]) if figures["tried"] else None
            ),
            attempts=figures["attempts"],
            last_activity=last,
            completed=eligible,
            stalled=False,
        )
        row.stalled = is_stalled(row, now)
        report.rows.append(row)
    return report


def csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: defuse them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
