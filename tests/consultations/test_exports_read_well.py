"""The spreadsheet exports read at once, and the public one does not repeat category and
country in the Commenter column (issue 12, item 13)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .factories import commenter, published_comment

pytestmark = pytest.mark.django_db


def _sheet(client, page, scope="public"):
    response = client.get(reverse("consultations:export", args=[page.pk, scope, "xlsx"]))
    return load_workbook(io.BytesIO(response.getvalue())).active  # streamed


def test_xlsx_has_column_widths_a_frozen_bold_header_and_wrapped_comments(
    client, consultation, officer_user
):
    published_comment(consultation, commenter(), officer_user, body="<p>Long text.</p>")
    sheet = _sheet(client, consultation)
    header = [c.value for c in sheet[1]]
    comment_letter = "ABCDEFGHIJ"[header.index("Comment")]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 16  # Reference
    assert sheet.column_dimensions[comment_letter].width == 70
    assert sheet["A1"].font.bold
    assert sheet[f"{comment_letter}2"].alignment.wrap_text


def test_public_commenter_column_holds_the_name_only_with_consent(
    client, consultation, officer_user
):
    published_comment(consultation, commenter(display_name="Amina"), officer_user, show_name=True)
    published_comment(consultation, commenter(display_name="Hidden"), officer_user)
    sheet = _sheet(client, consultation)
    header = [c.value for c in sheet[1]]
    commenters = [row[header.index("Commenter")].value for row in sheet.iter_rows(min_row=2)]
    assert commenters == ["Amina", None]  # category and country stay in their own columns
    assert all(row[header.index("Country")].value for row in sheet.iter_rows(min_row=2))
