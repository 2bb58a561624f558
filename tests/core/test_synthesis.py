"""core.synthesis: topics of many short texts, with verbatim quotes and their references,
the same every time, in English and Chinese, whatever the input."""

import pytest

from core.synthesis import Document, plain, synthesise, tokens

# Two subjects in each language; every comment is on one of them.
CORPUS = [
    Document(
        "A-1",
        "Glyphosate residues in the maize grain worry me. Residue limits for "
        "glyphosate must be tested before import.",
        "en",
    ),
    Document(
        "B-1",
        "Labelling of food containing this maize should be mandatory. Consumers "
        "have a right to know what they eat.",
        "en",
    ),
    Document(
        "A-2",
        "Please test the grain for herbicide residues. Glyphosate residue levels "
        "are not reported in the dossier.",
        "en",
    ),
    Document("C-1", "转基因玉米的标识应该是强制性的。消费者有知情权。", "zh-hans"),
    Document(
        "B-2",
        "I want clear labels on every product made from GM maize. Labelling "
        "protects consumer choice.",
        "en",
    ),
    Document("D-1", "农药残留检测必须完成。草甘膦残留数据缺失。", "zh-hans"),
    Document("A-3", "The residue data on glyphosate are missing for the maize kernels.", "en"),
    Document("C-2", "请对转基因食品进行标识，消费者需要知道标识信息。", "zh-hans"),
    Document("B-3", "Mandatory labelling for consumers, please: label the food products.", "en"),
    Document("D-2", "草甘膦残留的检测报告在哪里？残留限量需要公布。", "zh-hans"),
]
EXPECTED = [{"A-1", "A-2", "A-3"}, {"B-1", "B-2", "B-3"}, {"C-1", "C-2"}, {"D-1", "D-2"}]


def test_comments_on_one_subject_are_grouped_together_in_english_and_chinese():
    result = synthesise(CORPUS)
    assert sorted(map(set, (g.refs for g in result.groups)), key=sorted) == sorted(
        EXPECTED, key=sorted
    )
    assert [g.size for g in result.groups] == [3, 3, 2, 2]
    labels = {frozenset(g.refs): g.label for g in result.groups}
    assert "glyphosate" in labels[frozenset({"A-1", "A-2", "A-3"})]
    assert "labelling" in labels[frozenset({"B-1", "B-2", "B-3"})]
    assert "转基因" in labels[frozenset({"C-1", "C-2"})]
    assert "草甘膦" in labels[frozenset({"D-1", "D-2"})]


def test_the_same_input_gives_the_same_synthesis():
    assert synthesise(CORPUS) == synthesise(list(CORPUS))
    assert repr(synthesise(CORPUS)) == repr(synthesise(CORPUS))


def test_every_quote_is_a_verbatim_substring_of_the_comment_it_names():
    by_ref = {d.ref: d.text for d in CORPUS}
    result = synthesise(CORPUS)
    quotes = [q for g in result.groups for q in g.quotes]
    assert len(quotes) == 10
    for group in result.groups:
        assert 2 <= len(group.quotes) <= 3
        for quote in group.quotes:
            assert quote.ref in group.refs
            assert quote.text in by_ref[quote.ref]


def test_a_campaign_is_one_document_counted_by_its_weight():
    corpus = [
        *CORPUS,
        Document("B-9", "Labelling must be mandatory for consumers.", "en", weight=40),
    ]
    result = synthesise(corpus)
    assert result.size == 50
    assert result.groups[0].size == 43
    assert "B-9" in result.groups[0].refs


@pytest.mark.parametrize(
    "documents",
    [
        [],
        [Document("X-1", "")],
        [Document("X-1", "... !!! ;;; 。。。")],
        [Document("X-1", "One comment on maize labelling.")],
        [Document("X-1", "1234 5678")],
        [
            Document("X-1", "Maize 玉米 labelling 标识 mixed scripts: кукуруза маркировка."),
            Document("X-2", "标识 labelling 玉米 maize."),
        ],
        [Document("X-1", "residue " * 5_000), Document("X-2", "a" * 20_000)],
        [Document("X-1", "\x00\ud800 lone surrogate and NUL")],
    ],
)
def test_bad_input_gives_a_synthesis_not_an_error(documents):
    result = synthesise(documents)
    assert result.documents == len([d for d in documents if d.text.strip()])
    for group in result.groups:
        for quote in group.quotes:
            assert quote.text in next(d.text for d in documents if d.ref == quote.ref)


def test_a_long_comment_is_quoted_verbatim_up_to_a_bound():
    long_text = "Residue " + "testing of maize grain " * 1_000 + "."
    result = synthesise([Document("L-1", long_text), Document("L-2", "Short. About maize.")])
    quote = next(q for g in result.groups for q in g.quotes if q.ref == "L-1")
    assert quote.truncated and len(quote.text) <= 300 and quote.text in long_text


def test_tokens_drop_stop_words_and_pair_chinese_characters():
    assert tokens("The labelling of the products") == ["label", "product"]
    assert tokens("转基因玉米") == ["转基", "基因", "因玉", "玉米"]


def test_plain_text_of_stored_html():
    assert plain("<p>One &amp; two.</p><p>Three</p>") == "One & two.\nThree"
