"""The sanitiser's short cut for text bleach would give back as it is (core.sanitize
`_left_as_it_is`): plain paragraphs, line breaks and text with nothing to escape or link.

For every input, the short cut's answer must be bleach's own, byte for byte: the XSS corpus,
fragments chosen to sit on the short cut's edges, and thousands of random mixtures of them.
An input the short cut takes must come out exactly as bleach makes it; one it cannot be sure
of must go to bleach."""

import random

import pytest

from core import sanitize
from tests.core.test_sanitize import XSS_PAYLOADS

# Pieces on the edges of "nothing to change": the tags it accepts and near misses, characters
# bleach escapes or the HTML parser rewrites, text the linkifier links, scripts of six
# languages and the invisible characters between them.
FRAGMENTS = [
    "<p>", "</p>", "<br>", "<P>", "<p >", "<br/>", "<br />", "</br>", "<p class=x>", "<pre>",
    "<strong>", "</strong>", "<em>x</em>", "<a href='https://cbd.int'>", "</a>", "<!-- c -->",
    "Article 23.2", "LMO", "consultation", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\r\r\n",
    "a & b", "&amp;", "&lt;", "&#60;", "x < y", "y > x", "<", ">", "&", '"quoted"', "'single'",
    "=", "/", ";", ":", ".", "e.g.", "cbd.int", "www.cbd.int", "https://bch.cbd.int/x?y=1",
    "mailto:a@b.org", "someone@example.org", "javascript:alert(1)", "1.2.3", "v2.0",
    "例如转基因生物", "المادة ٢٣", "Статья 23", "artículo", "\u00a0", "\u200b", "\ufeff",
    "\u202e", "\u2066", "\x00", "\x0c", "\x85", "\ufffd", "\ufdd0", "\U0001f331", "\U0001fffe",
]  # fmt: skip


def bleach_output(text: str) -> str:
    """What sanitize_html stored before the short cut: everything through bleach."""
    cleaned = sanitize._DROP_WITH_CONTENT.sub("", sanitize._CONTROL_CHARS.sub("", text))
    return sanitize._cleaner.clean(cleaned).strip()


def random_inputs(count: int, seed: int = 23) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(FRAGMENTS, k=rng.randint(1, 9))) for _ in range(count)]


def assert_same_as_bleach(texts):
    taken = 0
    for text in texts:
        cleaned = sanitize._DROP_WITH_CONTENT.sub("", sanitize._CONTROL_CHARS.sub("", text))
        if sanitize._left_as_it_is(cleaned) is not None:
            taken += 1
        assert sanitize.sanitize_html(text) == bleach_output(text), repr(text)
    return taken


def test_random_mixtures_come_out_as_bleach_makes_them():
    texts = random_inputs(6000)
    taken = assert_same_as_bleach(texts)
    # Not vacuous: a fair share of the mixtures took the short cut and still matched.
    assert taken > 300, taken


def test_every_pair_of_fragments_comes_out_as_bleach_makes_it():
    assert_same_as_bleach(a + b for a in FRAGMENTS for b in FRAGMENTS)


@pytest.mark.parametrize("payload", [p.values[0] for p in XSS_PAYLOADS])
def test_the_xss_corpus_comes_out_as_bleach_makes_it(payload):
    assert sanitize.sanitize_html(payload) == bleach_output(payload)


@pytest.mark.parametrize(
    "text",
    [
        "A plain comment on Article 23.",
        "<p>First paragraph.</p>\r\n<p>Second, after a line break.</p>",
        "Line one<br>line two",
        "转基因生物的越境转移需要事先知情同意。",
        "<p>تعليق على المادة ٢٣</p>",
    ],
)
def test_ordinary_comments_take_the_short_cut(text):
    assert sanitize._left_as_it_is(text) is not None
    assert sanitize.sanitize_html(text) == bleach_output(text)


@pytest.mark.parametrize(
    "text",
    [
        "<p>Nested <p>paragraph</p></p>",  # the parser closes the first: not the same text
        "<p>Left open",
        "Closed</p> without opening",
        "See https://bch.cbd.int/ for the record",  # linked
        "See www.cbd.int",
        "Fish & chips",  # escaped
        "<strong>bold</strong>",  # allowed, but left to bleach
        "<p onclick=alert(1)>hi</p>",
        "<br/>",  # bleach writes <br>
    ],
)
def test_anything_else_goes_through_bleach(text):
    cleaned = sanitize._DROP_WITH_CONTENT.sub("", sanitize._CONTROL_CHARS.sub("", text))
    assert sanitize._left_as_it_is(cleaned) is None
