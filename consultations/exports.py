"""Comment exports: the officers' (everything) and the public one (Art. 21 respected).

The public export is also the response-to-comments document: every published,
non-confidential comment with its disposition and response, names only with consent.
CSV streams row by row from a server-side iterator, so memory stays flat whatever the
number of comments; XLSX is written by openpyxl's write-only mode.
"""

import csv
import io
from datetime import UTC

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from core.sanitize import html_to_text

CHUNK = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(comment) -> str:
    return comment.submitted_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _public_org(comment) -> str:
    # An organisation can name a person as surely as their name does: consent covers both.
    return comment.author_organisation if comment.show_name else ""


PUBLIC_COLUMNS = [
    (_("Reference"), lambda c: c.reference),
    (_("Submitted (UTC)"), _when),
    (_("Section"), lambda c: c.section_number or _("General")),
    (_("Commenter"), lambda c: c.public_label),
    (_("Organisation"), _public_org),
    (_("Stakeholder category"), lambda c: c.get_author_category_display()),
    (_("Country"), lambda c: c.author_country.name),
    (_("Comment"), lambda c: html_to_text(c.body)),
    (_("Disposition"), lambda c: c.get_disposition_display()),
    (_("Response"), lambda c: c.response),
]

OFFICER_COLUMNS = [
    (_("Reference"), lambda c: c.reference),
    (_("Submitted (UTC)"), _when),
    (_("Section"), lambda c: c.section_number or _("General")),
    (_("Name"), lambda c: c.author_name),
    (_("E-mail"), lambda c: c.author.email),
    (_("Organisation"), lambda c: c.author_organisation),
    (_("Stakeholder category"), lambda c: c.get_author_category_display()),
    (_("Country"), lambda c: c.author_country.name),
    (_("Name shown publicly"), lambda c: _("yes") if c.show_name else _("no")),
    (_("Language"), lambda c: c.language),
    (_("Moderation status"), lambda c: c.get_moderation_status_display()),
    (_("Moderation reason"), lambda c: c.get_moderation_reason_code_display()),
    (_("Confidential treatment requested"), lambda c: _("yes") if c.confidential else _("no")),
    (_("Justification"), lambda c: c.confidential_justification),
    (_("Comment"), lambda c: html_to_text(c.body)),
    (_("SHA-256 of the comment"), lambda c: c.body_sha256),
    (_("Attachment"), lambda c: c.attachment_name),
    (_("SHA-256 of the attachment"), lambda c: c.attachment_sha256),
    (_("Disposition"), lambda c: c.get_disposition_display()),
    (_("Response"), lambda c: c.response),
]


def rows(queryset, columns):
    """Header, then one row per comment, read in chunks from the database."""
    yield [str(title) for title, _get in columns]
    needs_author = columns is OFFICER_COLUMNS
    queryset = queryset.order_by("sequence")
    if needs_author:
        queryset = queryset.select_related("author")
    for comment in queryset.iterator(chunk_size=CHUNK):
        yield [_safe(get(comment)) for _title, get in columns]


class _Echo:
    def write(self, value):
        return value


def csv_lines(queryset, columns):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the UTF-8 (Chinese names) correctly
    for row in rows(queryset, columns):
        yield writer.writerow(row)


def csv_response(queryset, columns, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(queryset, columns)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_bytes(queryset, columns) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Comments")))
    for row in rows(queryset, columns):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(queryset, columns, filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(queryset, columns),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
