"""The cases the issue names: Chinese inside longer runs, Arabic spelling variants,
identifiers however typed, accents and inflections, lesson blocks, links to the exact place."""

import pytest

from search.models import SearchEntry

from .conftest import index_all, search
from .factories import consultation_in, course_tree, forum_thread, home_in, sections_json


def test_chinese_word_inside_a_longer_run_is_found(client, home):
    lesson = course_tree(home, "zh-hans", lesson="独特标识符的读法")
    page = consultation_in(
        home,
        "zh-hans",
        title="决定草案",
        sections=[{"number": "1", "heading": "范围", "body": "<p>改性活生物体的生物安全</p>"}],
    )
    _r, results = search(client, "标识", language="zh-hans")
    assert [r.entry.object_id for r in results] == [lesson.pk]
    assert "<mark>标识</mark>" in results[0].title
    _r, results = search(client, "生物安全", language="zh-hans")
    assert (results[0].entry.object_id, results[0].entry.kind) == (page.pk, "section")
    assert "<mark>生物安全</mark>" in results[0].snippet


def test_a_chinese_query_of_several_words_needs_them_all(client, home):
    course_tree(home, "zh-hans", lesson="风险评估的方法")
    course_tree(home, "zh-hans", lesson="越境转移的单据")
    _r, results = search(client, "越境转移单据", language="zh-hans")
    assert [r.entry.title for r in results] == ["越境转移的单据"]


@pytest.mark.parametrize(
    "query",
    ["إدارة السلامة", "ادارة السلامه", "الإدارة", "إِدَارَة", "إدارـــة"],
    ids=["as-written", "no-hamza-ha-for-ta-marbuta", "with-article", "diacritics", "tatweel"],
)
def test_arabic_spelling_variants_find_the_same_lesson(client, home, query):
    lesson = course_tree(home, "ar", lesson="إدارة السلامة الأحيائية")
    _r, results = search(client, query, language="ar")
    assert lesson.pk in [r.entry.object_id for r in results]


@pytest.mark.parametrize(
    "query", ["MON-89034-3", "MON 89Ø34-3", "mon-89ø34-3", "MON89034-3", "ＭＯＮ－８９０３４－３"]
)
def test_an_identifier_however_typed_finds_the_consultation(client, home, query):
    page = consultation_in(
        home, "en", title="Draft decision on a maize", lmo_identifier="MON-89Ø34-3"
    )
    consultation_in(home, "en", title="Draft decision on a soybean", lmo_identifier="MON-877Ø1-2")
    _r, results = search(client, query)
    consultations = [r for r in results if r.entry.kind == "consultation"]
    assert [r.entry.object_id for r in consultations] == [page.pk]
    assert "<mark>MON-89Ø34-3</mark>" in consultations[0].snippet


def test_accents_and_inflections_are_tolerated(client, home):
    course_tree(home, "fr", lesson="La biosécurité des organismes vivants modifiés")
    for query in ("biosecurite", "BIOSÉCURITÉ", "organisme modifie"):
        _r, results = search(client, query, language="fr")
        assert [r.entry.kind for r in results] == ["lesson"], query


def test_lesson_headings_glossary_and_article_references_are_found(client, home):
    lesson = course_tree(
        home,
        "en",
        lesson="Documents",
        body=[
            {"type": "heading", "value": {"text": "Commercial invoices", "level": "2"}},
            {"type": "glossary", "value": {"term": "Transboundary movement", "definition": "x"}},
            {"type": "article_ref", "value": {"article": "18.2(a)", "summary": "Handling."}},
            {"type": "paragraph", "value": "<p>Customs officers check the papers.</p>"},
        ],
    )
    for query in ("invoice", "transboundary", "18.2(a)", "customs officer"):
        _r, results = search(client, query)
        assert lesson.pk in [r.entry.object_id for r in results if r.entry.kind == "lesson"], query


def test_a_query_in_one_language_lists_the_readers_language_first(client, home):
    english = consultation_in(home, "en", title="Maize", lmo_identifier="MON-89Ø34-3")
    chinese = consultation_in(home, "zh-hans", title="玉米", lmo_identifier="MON-89Ø34-3")
    _r, results = search(client, "MON-89034-3", language="zh-hans", kind="consultation")
    assert [r.entry.object_id for r in results] == [chinese.pk, english.pk]
    _r, results = search(client, "MON-89034-3", language="en", kind="consultation")
    assert [r.entry.object_id for r in results] == [english.pk, chinese.pk]


def test_results_link_to_the_exact_post_and_section(client, home):
    thread = forum_thread("en", title="Labelling", body="Sampling at the port of entry")
    post = thread.posts.get()
    page = consultation_in(
        home,
        "en",
        sections=[
            {"number": "1", "heading": "Scope", "body": "<p>Scope.</p>"},
            {"number": "2.1", "heading": "Spillage", "body": "<p>Spilled grain germinates.</p>"},
        ],
    )
    index_all()
    _r, results = search(client, "sampling port")
    assert (
        results[0].url == f"/en/forums/groups/{thread.group_id}/threads/{thread.pk}/#post-{post.pk}"
    )
    assert results[0].entry.trail == [thread.group.forum.title, thread.group.theme, "Labelling"]
    _r, results = search(client, "spilled grain")
    assert results[0].url == f"{page.url}#section-2-1"
    assert results[0].entry.trail == [page.title]
    # The forum page exists in every language: the reader's.
    _r, results = search(client, "sampling port", language="fr")
    assert results[0].url.startswith("/fr/forums/")


def test_entries_follow_the_rebuild_and_nothing_is_indexed_twice(client, home):
    course_tree(home, "en", lesson="Sampling grain")
    before = SearchEntry.objects.count()
    index_all()
    index_all()
    assert SearchEntry.objects.count() == before


def test_a_page_copied_into_other_languages_is_listed_once_in_the_readers_language(client, home):
    from wagtail.models import Locale

    page = consultation_in(
        home,
        "en",
        title="Draft decision on a maize",
        sections=[{"number": "1", "heading": "Scope", "body": "<p>Sampling at the border.</p>"}],
    )
    for language in ("fr", "ar"):
        home_in(home, language)
        locale = Locale.objects.get(language_code=language)
        copy = page.copy_for_translation(locale, copy_parents=True)
        copy.save_revision().publish()
    index_all()

    def sections_found(reader):
        _r, results = search(client, "sampling border", language=reader)
        return [(r.entry.language, r.url) for r in results if r.entry.kind == "section"]

    french = sections_found("fr")
    assert len(french) == 1 and french[0][0] == "fr" and french[0][1].startswith("/fr/")
    # No Russian copy: the default language's, not the Arabic one beside it.
    assert [language for language, _url in sections_found("ru")] == ["en"]
    assert [language for language, _url in sections_found("en")] == ["en"]


def test_a_translation_worded_otherwise_leaves_the_matching_copy_listed(client, home):
    from wagtail.models import Locale

    page = consultation_in(
        home,
        "en",
        title="Draft decision on a maize",
        sections=[{"number": "1", "heading": "Scope", "body": "<p>Sampling at the border.</p>"}],
    )
    home_in(home, "fr")
    copy = page.copy_for_translation(Locale.objects.get(language_code="fr"), copy_parents=True)
    copy.sections = sections_json(
        [{"number": "1", "heading": "Portée", "body": "<p>Échantillonnage à la frontière.</p>"}]
    )
    copy.save_revision().publish()
    index_all()
    _r, results = search(client, "sampling border", language="fr")
    assert [r.entry.language for r in results if r.entry.kind == "section"] == ["en"]


@pytest.mark.parametrize(
    ("written", "typed"),
    [("独特标识符", "唯一标识符"), ("唯一标识符", "独特标识符"), ("转化事件", "转化体")],
    ids=["variant-finds-term", "term-finds-variant", "event"],
)
def test_a_chinese_variant_and_the_glossary_term_find_each_other(client, home, written, typed):
    # Commenters write the variants the glossary (docs/glossary-zh.md) avoids.
    forum_thread("zh-hans", title="讨论", body=f"进口玉米的{written}在哪里？")
    index_all()
    _r, results = search(client, typed, language="zh-hans")
    posts = [r for r in results if r.entry.kind == "post"]
    assert len(posts) == 1 and f"<mark>{written}</mark>" in posts[0].snippet


def test_a_word_that_contains_a_variant_is_not_read_as_the_variant(client, home):
    forum_thread("zh-hans", title="讨论", body="植物转化体系的效率")
    index_all()
    _r, results = search(client, "转化事件", language="zh-hans")
    assert results == []
