"""The XLSX export is sent as it is written, and reads back whole (issue 16)."""

import io
import uuid

import pytest
from openpyxl import load_workbook

from consultations import exports, xlsx
from consultations.models import Comment

from .factories import commenter, submit

pytestmark = pytest.mark.django_db


def test_the_first_piece_leaves_before_the_last_row_is_read():
    read = []

    def rows():
        yield ["Reference", "Comment"]
        for n in range(3000):
            read.append(n)
            yield [f"REF-{n:05d}", uuid.uuid4().hex * 4]  # text that does not compress away

    pieces = xlsx.stream(rows(), sheet_name="Comments", widths=[16, 70], wrapped=[0, 1])
    next(pieces)
    assert len(read) < 3000
    data = b"".join([b"", *pieces])
    assert data  # the rest follows


def test_the_officers_spreadsheet_reads_back_every_comment(consultation):
    author = commenter()
    for n in range(5):
        submit(consultation, author, body=f"<p>Comment number {n}</p>")
    queryset = Comment.objects.filter(consultation=consultation)
    data = exports.xlsx_bytes(queryset, exports.OFFICER_COLUMNS)
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 6
    comment_column = values[0].index("Comment")
    assert [row[comment_column] for row in values[1:]] == [f"Comment number {n}" for n in range(5)]


def test_control_characters_and_formulas_do_not_spoil_the_spreadsheet(consultation):
    rows = [["Reference", "Comment"], ["=HYPERLINK(1)", "a\x01b <tag> & “quote”"]]
    data = b"".join(
        xlsx.stream(exports_rows(rows), sheet_name="Comments", widths=[16, 70], wrapped=[0, 1])
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"
    assert sheet["B2"].value == "ab <tag> & “quote”"


def exports_rows(rows):
    # As exports.rows writes cells: a leading formula sign is quoted.
    return [rows[0]] + [[exports._safe(value) for value in row] for row in rows[1:]]
