"""Dates read in each language's own order: an Arabic date with a time is not written in the
English order Django falls back to ("ديسمبر 8, 2026")."""

from datetime import UTC, datetime

from django.utils import formats, translation

WHEN = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)


def test_an_arabic_date_and_time_puts_the_day_first():
    with translation.override("ar"):
        text = formats.date_format(WHEN, "DATETIME_FORMAT")
    assert text.startswith("8 ")
    assert "ديسمبر" in text and "2026" in text and "14:30" in text
    assert "ديسمبر 8," not in text
