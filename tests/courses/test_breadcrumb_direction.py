"""Breadcrumb separators point the way the page reads: "›" on a left-to-right page, turned on a
right-to-left one, even between two titles shown in English on an Arabic page (where the
bidirectional algorithm alone leaves "›" pointing back at the course). Screen readers skip
them: the links are the trail."""

import re

import pytest

from .helpers import BASE

LESSON = f"{BASE}/basics/what-is-an-lmo/"
SEPARATOR = re.compile(r'<span class="dir-arrow" dir="ltr" aria-hidden="true">›</span>')


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_lesson_breadcrumb_separator_is_isolated_and_turned_by_the_pages_direction(
    client, course, language
):
    response = client.get(LESSON.replace("/en/", f"/{language}/", 1))
    assert response.status_code == 200
    html = response.content.decode()
    trail = re.search(r'<nav aria-label="[^"]+" class="breadcrumb">(.*?)</nav>', html).group(1)
    assert len(SEPARATOR.findall(trail)) == 1
    assert " › " not in trail.replace(SEPARATOR.pattern, "")
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html.split("<body", 1)[0]


def test_the_css_turns_the_separator_only_on_right_to_left_pages():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_text()
    assert re.search(r'\[dir="rtl"\] \.dir-arrow \{[^}]*transform: scaleX\(-1\)', css)
