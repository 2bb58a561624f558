"""Whatever is typed or crafted into the search URL gives a clear page: never a 500, never
a database error, never markup of ours broken by the query."""

import pytest

from search.text import lexemes, parse_query

from .conftest import results_html, search, shared_content
from .factories import course_tree

NASTY = [
    "",
    "   ",
    "x" * 10_000,
    "sampling " * 1_000,
    '"',
    '"unterminated phrase',
    "*",
    "sampl*",
    "NEAR(sampling grain",
    "NEAR(sampling grain, 2)",
    "sampling OR grain",
    "sampling AND NOT grain",
    "-sampling",
    "title:sampling",
    "{title body}: sampling",
    "^sampling",
    "sampling'; DROP TABLE search_searchentry; --",
    "' OR 1=1 --",
    "sampling & grain | !maize <-> x",
    "sampl:* & !x",
    "%_\\",
    "<script>alert(1)</script>",
    "\x00sampling\x00",
    "\u202esampling",
    "🌽🌾",
    "\ufffd",
]


# Operators are plain words here ("NEAR" must appear); these still find the lesson.
FINDS_THE_LESSON = {
    "sampling " * 1_000,
    "sampl*",
    "sampling OR grain",
    "-sampling",
    "^sampling",
    "\x00sampling\x00",
    "\u202esampling",
}


@pytest.fixture(scope="module")
def lesson(django_db_setup, django_db_blocker):
    with shared_content(django_db_blocker) as home:
        yield course_tree(home, lesson="Sampling grain")


@pytest.mark.parametrize("query", NASTY, ids=range(len(NASTY)))
def test_any_query_gives_a_clear_page(db, client, lesson, query):
    response, results = search(client, query)
    html = response.content.decode()
    assert "<script>alert" not in html
    if query in FINDS_THE_LESSON:
        assert [r.entry.object_id for r in results] == [lesson.pk]


def test_an_empty_search_explains_what_to_do(client, db):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert b'name="q"' in response.content
    response, results = search(client, "!!! ???")
    assert results == []
    assert "Nothing to search for" in results_html(response)


def test_a_long_query_is_cut_and_says_so(db, client, lesson):
    response, results = search(client, "sampling " + "y" * 500)
    assert "Only the first 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    "raw",
    [
        "q=%ED%A0%80sampling",  # a lone surrogate, UTF-8 encoded (invalid UTF-8)
        "q=%00",
        "q=sampling%FF%FE",
        "q=sampling&page=-3",
        "q=sampling&page=abc",
        "q=sampling&page=99999999999999999999",
        "q=sampling&area=nowhere",
        "q=sampling&language=%3Cscript%3E",
        "q=sampling&kind=post&kind=post&kind=lesson",
        "q=sampling&state=%00",
        "q=sampling&date=forever",
        "q[]=sampling&q=grain",
    ],
)
def test_crafted_parameters_give_a_clear_page(db, client, lesson, raw):
    response = client.get("/en/search/", QUERY_STRING=raw)
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"</head>")[1]


def test_unknown_filter_values_are_named_and_ignored(db, client, lesson):
    response = client.get("/en/search/", {"q": "sampling", "area": "nowhere", "date": "x"})
    html = response.content.decode()
    assert "Unknown area “nowhere” was ignored." in html
    assert "Unknown date range “x” was ignored." in html
    assert response.context["found"].total == 1


def test_the_snippet_escapes_the_stored_text(client, db):
    from tests.forums.factories import make_group, make_post, make_thread

    from .conftest import index_all

    thread = make_thread(make_group(state="open"), title="<b>Bold</b> & sampling")
    make_post(thread, body="Sampling <script>alert(1)</script> & grain")
    index_all()
    response, results = search(client, "sampling")
    html = results_html(response)
    assert "<script>" not in html and "<b>Bold" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; <mark>sampling</mark>" in html


@pytest.mark.parametrize("text", NASTY + ["\ud800", "\udfff lone", "a\x00b"])
def test_the_tokeniser_takes_any_string(text):
    parse_query(text)
    lexemes(text, "zh-hans")
    lexemes(text, "ar")


def test_every_query_word_becomes_a_quoted_lexeme_never_syntax():
    from search.backends.postgres import tsquery_literal
    from search.backends.sqlite import fts_query

    query = parse_query("\"NEAR( OR - * sampling's x''w")
    assert fts_query(query) == '"near" AND ("sampl" OR "sampling") AND "s" AND "x" AND "w"'
    assert tsquery_literal(query) == "'near' & ('sampl' | 'sampling') & 's' & 'x' & 'w'"
