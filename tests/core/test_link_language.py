"""Links to a page in another language than the reader's say so (issue 12): courses exist in
English and Chinese only, so the Arabic, French, Russian and Spanish pages link to English."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

NOTES = {
    "ar": "(بالإنجليزية)",
    "fr": "(en anglais)",
    "ru": "(на английском языке)",
    "es": "(en inglés)",
}


def _links_to_english_courses(html: str) -> list[str]:
    return re.findall(r'<a href="/en/courses/[^"]*"[^>]*>.*?</a>', html, flags=re.S)


@pytest.mark.parametrize("language", sorted(NOTES))
def test_a_course_link_to_english_says_so_before_it_is_followed(client, demo, language):
    for path in (f"/{language}/", f"/{language}/courses/"):
        links = _links_to_english_courses(client.get(path).content.decode())
        assert links, path
        for link in links:
            assert 'hreflang="en"' in link, link
            assert NOTES[language] in link, link
    home = client.get(f"/{language}/").content.decode()
    assert re.search(r'<span dir="auto" lang="en">Identification and documentation', home)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_links_in_the_reader_language_carry_no_note(client, demo, language):
    html = client.get(f"/{language}/").content.decode()
    assert "hreflang" not in html
    assert "(in English)" not in html and "（英文）" not in html


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_course_shown_in_english_says_so_at_the_top(client, demo, language):
    """Reached by its /ar/ or /fr/ address (a search result, a shared link), the English course
    says why it is in English and that its lessons are too."""
    html = unescape(client.get(f"/{language}/courses/lmo-identification/").content.decode())
    notice = {"ar": "هذه الصفحة غير متاحة بلغتك", "fr": "Cette page n'existe pas dans votre langue"}
    assert notice[language] in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_course_in_the_reader_language_has_no_such_notice(client, demo, language):
    html = client.get(f"/{language}/courses/lmo-identification/").content.decode()
    assert 'class="notice" role="note"' not in html
