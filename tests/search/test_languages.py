"""Search finds every kind of content in each of the six languages, the reader's first."""

import re

import pytest

from tests.consultations.factories import commenter, officer, published_comment, section_key

from .conftest import index_all, search, shared_content
from .factories import PHRASES, consultation_in, course_tree, forum_thread

LANGUAGES = list(PHRASES)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """In each language: a course, module and lesson, a consultation with a section, a
    published comment on it, a thread and a post, each carrying that language's phrase."""
    with shared_content(django_db_blocker) as home:
        _build_world(home)
        yield


def _build_world(home):
    officer_user = officer()
    for language, (phrase, _query) in PHRASES.items():
        course_tree(
            home,
            language,
            course=f"{phrase} (course)",
            module=f"{phrase} (module)",
            lesson=f"{phrase} (lesson)",
        )
        page = consultation_in(
            home,
            language,
            title=f"{phrase} (consultation)",
            sections=[{"number": "1", "heading": "Scope", "body": f"<p>{phrase}.</p>"}],
        )
        published_comment(
            page,
            commenter(),
            officer_user,
            body=f"<p>{phrase}!</p>",
            language=language,
            section_key=section_key(page, "1"),
        )
        forum_thread(language, title=f"{phrase}?", body=phrase)
    index_all()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_kind_of_content_is_found_in_each_language(db, client, world, language):
    _phrase, query = PHRASES[language]
    _r, results = search(client, query, language=language)
    found = {(r.entry.kind, r.entry.language) for r in results}
    expected = {
        (kind, language)
        for kind in ("course", "module", "lesson", "consultation", "section", "comment")
        + ("thread", "post")
    }
    assert expected <= found, f"{language}: missing {expected - found}"
    # Cognates in other languages ("contaminación") may match too, after the reader's.
    languages = [r.entry.language for r in results]
    assert languages == sorted(languages, key=lambda code: code != language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en", "zh-hans"])
def test_the_example_identifier_in_the_help_stays_whole_in_every_direction(client, language):
    # On an Arabic page, "MON-89Ø34-3" inside an Arabic sentence was broken at a hyphen and
    # reordered by the bidirectional algorithm; isolated, it reads left to right on one line.
    response = client.get(f"/{language}/search/")
    assert response.status_code == 200
    help_text = re.search(r'<p id="search-q-help"[^>]*>(.*?)</p>', response.content.decode()).group(
        1
    )
    assert '<bdi dir="ltr" class="nowrap">MON-89Ø34-3</bdi>' in help_text
