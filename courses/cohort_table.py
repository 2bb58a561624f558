"""The cohort dashboard's table body, one participant a row, built in Python.

A cohort of 200 participants × a dozen cells is some 3,000 template nodes: the template
engine spent more on them than the database on the whole report. The markup is the one the
template wrote; every value is escaped by format_html.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .cohort_report import CohortReport, MemberRow


def _row(row: MemberRow, stalled: str, completed: str) -> SafeString:
    if row.stalled:
        tag = format_html(' <span class="tag tag--bad">{}</span>', stalled)
    elif row.completed:
        tag = format_html(' <span class="tag tag--ok">{}</span>', completed)
    else:
        tag = ""
    organisation = (
        format_html('<br><span class="muted">{}</span>', row.organisation)
        if row.organisation
        else ""
    )
    cells = format_html_join("", "<td>{}</td>", ((cell,) for cell in row.module_cells))
    return format_html(
        '<tr{}><th scope="row">{}{}{}</th>{}<td><strong>{}%</strong></td><td>{}/{}</td>'
        '<td>{}</td><td class="nowrap"><time datetime="{}" dir="ltr">{}</time></td></tr>\n',
        mark_safe(' class="is-stalled"') if row.stalled else "",  # noqa: S308 - a constant
        row.name,
        organisation,
        tag,
        cells,
        row.percent,
        row.assessments_passed,
        row.assessments_total,
        row.score_text,
        row.activity_iso,
        row.activity_text,
    )


def table_rows(report: CohortReport) -> SafeString:
    stalled, completed = _("Stalled"), _("Completed")
    return mark_safe("".join(_row(row, stalled, completed) for row in report.rows))  # noqa: S308 - joined format_html output
