"""Comment exports: the officers' (everything) and the public one (what may be published).

The public export is also the response-to-comments document: every published,
non-confidential comment with its disposition and response (once the outcome is published:
before, those are the officers' drafts), names only with consent.
CSV streams row by row from a server-side iterator, so memory stays flat whatever the
number of comments; XLSX is zipped as it is sent (consultations/xlsx.py).
"""

import csv
import html as htmllib
import re
from datetime import UTC

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.moderation import ModerationReason, ModerationStatus
from core.stakeholders import StakeholderCategory

from . import xlsx
from .models import Disposition

CHUNK = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(c, _labels) -> str:
    return c.submitted_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|li|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def plain_text(clean_html: str) -> str:
    """The text of stored comment HTML, cheaply: it passed `core.sanitize` on the way in,
    so it holds only allowlisted tags and no comments or scripts (bleach is far slower, and
    an export runs this for every row)."""
    text = _BLOCK_END.sub("\n", clean_html)
    return htmllib.unescape(_TAG.sub("", text)).strip()


class Labels:
    """Display labels resolved once per export (a lazy label per cell costs a gettext)."""

    def __init__(self):
        self.category = {k: str(v) for k, v in StakeholderCategory.choices}
        self.disposition = {k: str(v) for k, v in Disposition.choices}
        self.status = {k: str(v) for k, v in ModerationStatus.choices}
        self.reason = {k: str(v) for k, v in ModerationReason.choices}
        self.general = str(_("General"))
        self.yes, self.no = str(_("yes")), str(_("no"))
        self._countries: dict[str, str] = {}

    def country(self, code) -> str:
        code = str(code or "")
        if code not in self._countries:
            self._countries[code] = countries.name(code) if code else ""
        return self._countries[code]


PUBLIC_COLUMNS = [
    (_("Reference"), lambda c, L: c.reference),
    (_("Submitted (UTC)"), _when),
    (_("Section"), lambda c, L: c.section_number or L.general),
    # The name, with consent; category and country have their own columns (not repeated here).
    (_("Commenter"), lambda c, L: c.author_name if c.show_name else ""),
    # An organisation can name a person as surely as their name does: consent covers both.
    (_("Organisation"), lambda c, L: c.author_organisation if c.show_name else ""),
    (_("Stakeholder category"), lambda c, L: L.category.get(c.author_category, "")),
    (_("Country"), lambda c, L: L.country(c.author_country)),
    (_("Comment"), lambda c, L: plain_text(c.body)),
    # Campaigns (issue 15): the first public comment that sent the same text.
    (_("Same text as"), lambda c, L: _same_text_as(c)),
    (_("Disposition"), lambda c, L: L.disposition.get(c.disposition, "")),
    (_("Response"), lambda c, L: c.response),
]


def _same_text_as(c) -> str:
    first = getattr(c, "same_text_as", None) or ""
    return first if first != c.reference else ""


def public_columns(*, with_responses: bool) -> list:
    """The public export's columns: the disposition and response only once published."""
    return PUBLIC_COLUMNS if with_responses else PUBLIC_COLUMNS[:-2]


OFFICER_COLUMNS = [
    (_("Reference"), lambda c, L: c.reference),
    (_("Submitted (UTC)"), _when),
    (_("Section"), lambda c, L: c.section_number or L.general),
    (_("Name"), lambda c, L: c.author_name),
    (_("E-mail"), lambda c, L: c.author.email if c.author else ""),
    (_("Organisation"), lambda c, L: c.author_organisation),
    (_("Stakeholder category"), lambda c, L: L.category.get(c.author_category, "")),
    (_("Country"), lambda c, L: L.country(c.author_country)),
    (_("Name shown publicly"), lambda c, L: L.yes if c.show_name else L.no),
    (_("Language"), lambda c, L: c.language),
    (_("Moderation status"), lambda c, L: L.status.get(c.moderation_status, "")),
    (_("Moderation reason"), lambda c, L: L.reason.get(c.moderation_reason_code, "")),
    (_("Not to be published (privacy request)"), lambda c, L: L.yes if c.confidential else L.no),
    (_("Reason for the privacy request"), lambda c, L: c.confidential_justification),
    (_("Comment"), lambda c, L: plain_text(c.body)),
    (_("SHA-256 of the comment"), lambda c, L: c.body_sha256),
    (_("Attachment"), lambda c, L: c.attachment_name),
    (_("SHA-256 of the attachment"), lambda c, L: c.attachment_sha256),
    (_("Disposition"), lambda c, L: L.disposition.get(c.disposition, "")),
    (_("Response"), lambda c, L: c.response),
    # Campaigns (issue 15): the label (C3), its size, and what this copy adds to its text.
    ("campaign", lambda c, L: c.campaign.label if c.campaign_id else ""),
    ("campaign_size", lambda c, L: c.campaign.size if c.campaign_id else ""),
    ("added_text", lambda c, L: c.campaign_added_text),
]


class _Related:
    """The one or two attributes a column reads of a comment's author or campaign."""

    __slots__ = ("email", "number", "size")

    @property
    def label(self) -> str:
        return f"C{self.number}"


class _Row:
    """A comment as the columns read it, built from one tuple of values: building model
    instances (with their author and campaign) was most of an export's time."""


def _light_comments(queryset):
    """The queryset's comments as _Row objects (every concrete field, the annotations, the
    author's e-mail, the campaign's number and size), read in chunks from the database."""
    from .models import Comment

    names = [f.attname for f in Comment._meta.concrete_fields]
    names += list(queryset.query.annotations)
    related = ["author__email", "campaign__number", "campaign__size"]
    new = object.__new__
    for values in queryset.values_list(*names, *related).iterator(chunk_size=CHUNK):
        comment = new(_Row)
        attributes = comment.__dict__
        attributes.update(zip(names, values, strict=False))  # the related three follow
        email, number, size = values[len(names) :]
        author = campaign = None
        if attributes["author_id"] is not None:
            author = new(_Related)
            author.email = email
        if attributes["campaign_id"] is not None:
            campaign = new(_Related)
            campaign.number, campaign.size = number, size
        attributes["author"], attributes["campaign"] = author, campaign
        yield comment


def rows(queryset, columns):
    """Header, then one row per comment, read in chunks from the database."""
    labels = Labels()
    yield [str(title) for title, _get in columns]
    getters = [get for _title, get in columns]
    formula_start = _FORMULA_START
    for comment in _light_comments(queryset.order_by("sequence")):
        row = []
        for get in getters:
            value = get(comment, labels)
            text = "" if value is None else str(value)
            # As _safe: a cell a spreadsheet will not run as a formula (CSV injection).
            row.append("'" + text if text.startswith(formula_start) else text)
        yield row


class _Echo:
    def write(self, value):
        return value


def csv_lines(queryset, columns):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the UTF-8 (Chinese names) correctly
    for row in rows(queryset, columns):
        yield writer.writerow(row)


CSV_CHUNK = 64 * 1024  # characters per piece sent: one write per row cost more than the rows


def csv_chunks(queryset, columns):
    """csv_lines joined into pieces of about CSV_CHUNK characters, as UTF-8."""
    pending, size = [], 0
    for line in csv_lines(queryset, columns):
        pending.append(line)
        size += len(line)
        if size >= CSV_CHUNK:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def csv_response(queryset, columns, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_chunks(queryset, columns),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx passes each chunk on as it is written
    return response


# Column widths in characters, by the column's English title; 18 for the others. Long texts
# wrap inside their cell, so a row shows a whole comment without a very wide column.
XLSX_WIDTHS = {
    "Reference": 16,
    "Section": 10,
    "Commenter": 30,
    "Name": 24,
    "E-mail": 30,
    "Organisation": 28,
    "Stakeholder category": 24,
    "Comment": 70,
    "Justification": 40,
    "Response": 50,
    "SHA-256 of the comment": 66,
    "SHA-256 of the attachment": 66,
}
XLSX_WRAPPED = {"Comment", "Justification", "Response"}


def xlsx_bytes(queryset, columns) -> bytes:
    return b"".join(xlsx_pieces(queryset, columns))


def xlsx_pieces(queryset, columns):
    """The rows as a spreadsheet that reads at once: widths per column, long texts wrapped,
    the header in bold and frozen, so it stays in view while scrolling.

    Written as it is sent (consultations.xlsx): the first piece leaves after the first few
    hundred rows and memory stays flat however many comments there are."""
    with translation.override("en"):
        keys = [str(title) for title, _get in columns]
    return xlsx.stream(
        rows(queryset, columns),
        sheet_name=str(_("Comments")),
        widths=[XLSX_WIDTHS.get(key, 18) for key in keys],
        wrapped=[key in XLSX_WRAPPED for key in keys],
    )


def xlsx_response(queryset, columns, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        xlsx_pieces(queryset, columns),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"
    return response
