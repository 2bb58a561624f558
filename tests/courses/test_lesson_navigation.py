"""The course outline beside every lesson (done / current / locked marks) and previous/next."""

import re

from .helpers import enrol, lesson


def _outline(html: str) -> str:
    match = re.search(r'<details class="course-outline">(.*?)</details>', html, re.S)
    assert match, "the lesson page has no course outline"
    return match.group(1)


def _lesson_item(outline: str, title: str) -> str:
    item = next((li for li in outline.split("<li") if title in li), None)
    assert item is not None, f"{title!r} is not in the outline"
    return item


def test_outline_marks_the_done_lesson_the_current_one_and_the_locked_module(
    client, course, learner
):
    enrol(client, learner)
    first = lesson("what-is-an-lmo")
    client.post(first.url, {"action": "complete"})
    identifiers = lesson("identifiers")

    outline = _outline(client.get(identifiers.url).content.decode())

    assert 'aria-labelledby="course-outline-title"' in outline
    done = _lesson_item(outline, first.title)
    assert "(done)" in done and f'href="{first.url}"' in done
    current = _lesson_item(outline, identifiers.title)
    assert 'aria-current="page"' in current and "you are here" in current
    # The second module opens when the first is complete: its lessons show, unlinked.
    invoice = lesson("ffp-invoice")
    locked = _lesson_item(outline, invoice.title)
    assert "(locked)" in locked and f'href="{invoice.url}"' not in locked
    assert outline.count('aria-current="page"') == 1


def test_previous_and_next_name_their_lessons_and_say_when_the_next_is_locked(
    client, course, learner
):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    html = client.get(identifiers.url).content.decode()
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    first, invoice = lesson("what-is-an-lmo"), lesson("ffp-invoice")
    assert f'rel="prev" href="{first.url}"' in pager and first.title in pager
    assert f'rel="next" href="{invoice.url}"' in pager and invoice.title in pager
    assert "Locked" in pager


def test_anonymous_readers_get_the_outline_without_progress(client, course):
    html = client.get(lesson("what-is-an-lmo").url).content.decode()
    outline = _outline(html)
    assert "(done)" not in outline and "of" not in outline.split("</summary>")[0]
    assert 'aria-current="page"' in outline


def test_a_locked_lesson_still_offers_the_way_back(client, course, learner):
    enrol(client, learner)
    html = client.get(lesson("ffp-invoice").url).content.decode()
    assert "opens when you complete" in html
    assert 'rel="prev"' in html and 'class="course-outline"' in html
