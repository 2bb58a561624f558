"""Pages for everyone: the identifier checker (any input, never an error), light lessons."""

import re

import pytest

from .helpers import BASE

CHECK = "/en/courses/check-unique-identifier/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MON-ØØ81Ø-6", "valid"),
        ("MON-00810-6", "valid"),  # ASCII zero accepted for Ø
        ("MON-ØØ6Ø3-6", "valid"),
        ("MON-ØØ81Ø-7", "the rule gives 6"),
        ("SYN-ØØØJG-2", "registered exception"),
        ("MON-OO81O-6", "letter O"),
        ("MON-89Ø34-3 × MON-ØØ6Ø3-6", "MON-89Ø34-3"),
        ("MON-89Ø34-3 x MON-ØØ6Ø3-6", "MON-ØØ6Ø3-6"),
        ("MON-81Ø-6", "5 or 6"),
    ],
)
def test_checker_explains_real_and_wrong_identifiers(client, db, text, expected):
    response = client.get(CHECK, {"identifiers": text})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_stacked_events_are_checked_one_by_one(client, db):
    html = client.get(CHECK, {"identifiers": "MON-89Ø34-3 × MON-ØØ6Ø3-6"}).content.decode()
    assert html.count('class="uid-result uid-result--valid') == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "x" * 100_000,
        "<script>alert(1)</script>",
        "玉米-转基因-六",
        "💥" * 500,
        "\u202eMON-ØØ81Ø-6",
        "-" * 3000,
        "a,b;c\nd" * 200,
        "NULL\x00BYTE",
        "%s %(x)s {0}",
    ],
)
def test_checker_survives_any_input(client, db, text):
    response = client.get(CHECK, {"identifiers": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert len(html) < 200_000


def test_checker_needs_no_account_and_no_javascript(client, db):
    html = client.get(CHECK).content.decode()
    assert "<form" in html and 'method="get"' in html and "<script" not in html


def test_text_lesson_is_light_and_works_without_javascript(client, course):
    response = client.get(f"{BASE}/basics/what-is-an-lmo/")
    html = response.content.decode()
    assert "<script" not in html
    total = len(response.content)
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        total += len(b"".join(client.get(href).streaming_content))
    assert total < 100_000, total
    assert "Definitions" in html and "Cartagena Protocol, Art. 3(g)" in html


def test_chinese_pages_show_chinese_content(client, course):
    html = client.get("/zh-hans/courses/test-course/basics/identifiers/").content.decode()
    assert "独特标识符" in html and "基础测验" in html


def test_home_page_lists_the_course_and_header_links_to_courses(client, course):
    html = client.get("/en/").content.decode()
    assert "Test course on LMOs" in html
    assert 'href="/en/courses/"' in html
    zh = client.get("/zh-hans/").content.decode()
    assert "改性活生物体测试课程" in zh and 'href="/zh-hans/courses/"' in zh
