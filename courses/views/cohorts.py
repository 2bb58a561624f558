"""Facilitators' cohorts: list and create, the progress dashboard and its CSV export.
A facilitator sees only their own cohorts; anyone else gets "not found"."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import rules, services
from ..cohort_report import csv_safe
from ..cohort_table import table_rows
from ..forms import CohortForm
from ..learner_cache import cached_cohort_report, cached_outline
from ..models import Cohort
from ..selectors import courses_by_key


def _own_cohort(request, pk) -> Cohort:
    cohort = Cohort.objects.filter(pk=pk).first()
    if cohort is None or not rules.can_manage_cohort(request.user, cohort):
        raise Http404
    return cohort


@login_required
@require_http_methods(["GET", "POST"])
def cohort_list(request):
    if not rules.can_create_cohort(request.user):
        raise PermissionDenied
    form = CohortForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                cohort = services.cohort_create(
                    facilitator=request.user,
                    name=form.cleaned_data["name"],
                    course=form.cleaned_data["course"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Cohort created. Share its join code: %(code)s") % {"code": cohort.join_code},
                )
                return redirect("courses:cohort", pk=cohort.pk)
    cohorts = list(Cohort.objects.run_by(request.user))
    titles = courses_by_key({c.course_key for c in cohorts})
    for cohort in cohorts:
        cohort.course = titles.get(cohort.course_key)
    counts = dict(
        Cohort.objects.run_by(request.user).values_list("pk").annotate(n=Count("memberships"))
    )
    for cohort in cohorts:
        cohort.member_count = counts.get(cohort.pk, 0)
    return render(
        request,
        "courses/cohort_list.html",
        {"cohorts": cohorts, "form": form},
        status=400 if form.errors else 200,
    )


def _report(request, cohort):
    course = courses_by_key([cohort.course_key]).get(cohort.course_key)
    if course is None:
        raise Http404
    return course, cached_cohort_report(cohort, cached_outline(course))


@login_required
@require_GET
def cohort_dashboard(request, pk):
    cohort = _own_cohort(request, pk)
    course, report = _report(request, cohort)
    join_url = request.build_absolute_uri(reverse("courses:join")) + f"?code={cohort.join_code}"
    return render(
        request,
        "courses/cohort_dashboard.html",
        {
            "cohort": cohort,
            "course": course,
            "report": report,
            "table_rows": table_rows(report),
            "join_url": join_url,
        },
    )


@login_required
@require_POST
def cohort_toggle(request, pk):
    cohort = _own_cohort(request, pk)
    services.cohort_set_open(
        actor=request.user, cohort=cohort, is_open=request.POST.get("open") == "1"
    )
    messages.success(
        request,
        _("The cohort is open for joining.")
        if cohort.is_open
        else _("The cohort is closed for joining."),
    )
    return redirect("courses:cohort", pk=cohort.pk)


@login_required
@require_GET
def cohort_export(request, pk):
    cohort = _own_cohort(request, pk)
    course, report = _report(request, cohort)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8 (Chinese names)
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Participant"),
            _("Organisation"),
            _("Country"),
            _("Joined"),
            *[m.page.title for m in report.outline.modules],
            _("Course progress (%)"),
            _("Assessments passed"),
            _("Average best score (%)"),
            _("Attempts"),
            _("Last activity (UTC)"),
            _("Completed"),
            _("Stalled"),
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                csv_safe(v)
                for v in [
                    row.name,
                    row.organisation,
                    row.country,
                    row.joined_at.strftime("%Y-%m-%d"),
                    *row.module_percents,
                    row.percent,
                    f"{row.assessments_passed}/{row.assessments_total}",
                    "" if row.best_average is None else row.best_average,
                    row.attempts,
                    row.activity_text,
                    _("yes") if row.completed else _("no"),
                    _("yes") if row.stalled else _("no"),
                ]
            ]
        )
    return response
