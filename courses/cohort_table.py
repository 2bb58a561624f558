"""The cohort dashboard's table body, one participant a row, built in Python.

A cohort of 200 participants × a dozen cells is some 3,000 template nodes: the template
engine spent more on them than the database on the whole report, and format_html (a lazy
check and a conditional escape per value) still most of the page. The markup is the one the
template wrote; what a person typed (name, organisation) and the labels are escaped with
html.escape, which is what Django's escape does; the other cells are numbers and dates we
format ourselves.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .cohort_report import CohortReport, MemberRow


def _row(row: MemberRow, stalled_tag: str, completed_tag: str) -> str:
    if row.stalled:
        opening, tag = '<tr class="is-stalled">', stalled_tag
    else:
        opening, tag = "<tr>", completed_tag if row.completed else ""
    organisation = (
        f'<br><span class="muted">{escape(row.organisation)}</span>' if row.organisation else ""
    )
    cells = "".join([f"<td>{int(percent)}%</td>" for percent in row.module_percents])
    return (
        f'{opening}<th scope="row">{escape(row.name)}{organisation}{tag}</th>{cells}'
        f"<td><strong>{int(row.percent)}%</strong></td>"
        f"<td>{int(row.assessments_passed)}/{int(row.assessments_total)}</td>"
        f"<td>{escape(row.score_text)}</td>"
        f'<td class="nowrap"><time datetime="{escape(row.activity_iso)}" dir="ltr">'
        f"{escape(row.activity_text)}</time></td></tr>\n"
    )


def table_rows(report: CohortReport) -> SafeString:
    stalled = f' <span class="tag tag--bad">{escape(_("Stalled"))}</span>'
    completed = f' <span class="tag tag--ok">{escape(_("Completed"))}</span>'
    # Every value above escaped, or a number.
    return mark_safe("".join([_row(row, stalled, completed) for row in report.rows]))  # noqa: S308
