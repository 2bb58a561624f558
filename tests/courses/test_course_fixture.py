"""The demo course fixture (fixtures/courses/lmo-identification.json) against COURSE_FORMAT.md.

Pure JSON + Python on purpose: the fixture is checked without importing the courses app, so
content and loader can be developed (and fail) independently. The OECD check-digit rule is
recomputed here rather than imported from core, so a bug there cannot hide a wrong `valid` flag.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "courses" / "lmo-identification.json"
LANGS = ("en", "zh-hans")

BLOCK_TYPES = {
    "paragraph",
    "heading",
    "callout",
    "article_ref",
    "glossary",
    "quiz",
    "identifier_exercise",
    "document_check",
}
PROSE_TYPES = {"paragraph", "heading", "callout", "article_ref", "glossary"}
CALLOUT_KINDS = {"note", "key_rule", "warning"}
QUESTION_KINDS = {"single", "multiple", "true_false", "matching", "ordering"}
# Art. 18.2 with decisions BS-I/6 and BS-III/10 (FFP) and BS-I/6 and BS-IV/8 (contained use,
# introduction), as courses/regimes.py lists them.
ELEMENTS = {
    "ffp": {
        "may_contain",
        "not_for_introduction",
        "contact_point",
        "names",
        "event_or_identifier",
        "bch_address",
    },
    "contained_use": {
        "identified_as_lmo",
        "names",
        "event_or_identifier",
        "handling_requirements",
        "consignee_contact",
    },
    "introduction": {
        "identified_as_lmo",
        "names",
        "event_or_identifier",
        "identity_and_traits",
        "handling_requirements",
        "contact_point",
        "importer_exporter",
        "declaration_of_conformity",
    },
}
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- the OECD unique identifier rule, written out independently -----------------------------

UID = re.compile(r"([A-ZØ0-9]{2,3})-([A-ZØ0-9]{5,6})-([0-9])")


def char_value(ch):
    if ch in "Ø0":
        return 0
    if ch.isdigit():
        return int(ch)
    return ord(ch) - ord("A") + 1  # A=1 … Z=26; a letter O is 15, not zero


def passes_rule(identifier):
    """True if every event of a (possibly stacked) identifier is well formed and its digit right."""
    for part in re.split(r"\s*[×x]\s*", identifier.strip()):
        match = UID.fullmatch(part)
        if not match:
            return False
        developer, event, digit = match.groups()
        if len(developer) + len(event) != 8:
            return False
        total = sum(char_value(c) for c in developer + event)
        if 1 + (total - 1) % 9 != int(digit):
            return False
    return True


# Registered as written although the digit breaks the rule; a learner accepts them, as the
# public checker does. SYN-ØØØJG-2: BCH record 110613 (the rule gives 3).
REGISTERED_EXCEPTIONS = {"SYN-ØØØJG-2"}


def accepted(identifier):
    """What a learner should accept: every event passes the rule or is registered as written."""
    return all(
        passes_rule(part) or part in REGISTERED_EXCEPTIONS
        for part in re.split(r"\s*[×x]\s*", identifier.strip())
    )


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("MON-ØØ81Ø-6", True),  # M13 + O15 + N14 + 8 + 1 = 51 → 6
        ("MON-ØØ6Ø3-6", True),
        ("MON-89Ø34-3", True),
        ("DAS-Ø15Ø7-1", True),
        ("MON-00810-6", True),  # ASCII zero is accepted for Ø
        ("MON-ØØ81Ø-5", False),  # wrong digit
        ("MON-ØØ81-6", False),  # 7 characters
        ("MONØØ81Ø6", False),  # no parts
        ("MON-ØØ6O3-6", False),  # letter O counts 15
        ("SYN-ØØØJG-2", False),  # registered, but the rule gives 3
        ("ACS-OSØØ1-4", True),  # rice: the O of "OS" (Oryza sativa) is a letter, 15
        ("BCS-OSØØ3-7", True),  # rice LLRICE601
        ("MON-ØØ81Ø-6 × MON-ØØ6Ø3-6", True),
        ("MON-ØØ81Ø-6 × MON-ØØ6Ø3-5", False),
    ],
)
def test_rule_itself(identifier, expected):
    assert passes_rule(identifier) is expected


def test_registered_exceptions_are_accepted_although_the_rule_refuses_them():
    assert accepted("SYN-ØØØJG-2") and not passes_rule("SYN-ØØØJG-2")
    assert not accepted("SYN-ØØØJG-4")


# --- loading ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def lessons(data):
    return [lesson for module in data["modules"] for lesson in module["lessons"]]


def blocks(data, lang="en", kind=None):
    return [
        block
        for lesson in lessons(data)
        for block in lesson[lang]["body"]
        if kind is None or block["type"] == kind
    ]


def questions(data, lang="en"):
    return [q for quiz in blocks(data, lang, "quiz") for q in quiz["value"]["questions"]]


# --- shape and counts -------------------------------------------------------------------------


def test_course_metadata_in_both_languages(data):
    course = data["course"]
    assert course["slug"] == "lmo-identification"
    assert course["version"] and isinstance(course["sequential"], bool)
    assert course["estimated_hours"] > 0
    assert data["index"]["slug"]
    for lang in LANGS:
        assert data["index"][lang]["title"] and data["index"][lang]["intro"].startswith("<p>")
        meta = course[lang]
        assert meta["title"] and meta["summary"] and meta["audience"]
        assert len(meta["learning_outcomes"]) == len(course["en"]["learning_outcomes"]) >= 3
    assert course["en"]["title"] == "Identification and documentation of LMOs"
    assert CJK.search(course["zh-hans"]["title"])


def test_minimum_counts(data):
    assert len(data["modules"]) >= 5
    assert len(lessons(data)) >= 15
    assert all(len(m["lessons"]) >= 3 for m in data["modules"])
    assert len(questions(data)) >= 40
    assert len(blocks(data, kind="identifier_exercise")) >= 6
    regimes = [b["value"]["regime"] for b in blocks(data, kind="document_check")]
    assert set(regimes) == {"contained_use", "ffp", "introduction"}  # every regime practised


def test_every_block_type_and_question_kind_is_used(data):
    used = {b["type"] for b in blocks(data)}
    assert used == BLOCK_TYPES
    assert {b["value"]["kind"] for b in blocks(data, kind="callout")} == CALLOUT_KINDS
    assert {q["kind"] for q in questions(data)} == QUESTION_KINDS


def test_slugs_are_unique_and_url_safe(data):
    slugs = [m["slug"] for m in data["modules"]] + [lesson["slug"] for lesson in lessons(data)]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) for s in slugs)


def test_lessons_have_titles_summaries_and_minutes(data):
    for module in data["modules"]:
        for lang in LANGS:
            assert module[lang]["title"] and module[lang]["summary"]
    for lesson in lessons(data):
        assert lesson["minutes"] > 0 and isinstance(lesson["required"], bool)
        for lang in LANGS:
            assert lesson[lang]["title"] and lesson[lang]["summary"] and lesson[lang]["body"]
            assert all(b["type"] in BLOCK_TYPES for b in lesson[lang]["body"])
        assert CJK.search(lesson["zh-hans"]["title"]), lesson["slug"]


def english_words(lesson):
    text = json.dumps([b["value"] for b in lesson["en"]["body"]], ensure_ascii=False)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", re.sub(r"<[^>]+>", " ", text)))


def test_lessons_are_substantial_but_light(data):
    for lesson in lessons(data):
        prose = sum(1 for b in lesson["en"]["body"] if b["type"] in PROSE_TYPES)
        assert prose >= 4, lesson["slug"]
        assert 300 <= english_words(lesson) <= 1400, (lesson["slug"], english_words(lesson))


# --- English and Chinese line up --------------------------------------------------------------


def invariant(block):
    """What must be identical across languages: everything except the wording."""
    v = block["value"]
    kind = block["type"]
    if kind == "heading":
        return (kind, v["level"])
    if kind == "callout":
        return (kind, v["kind"])
    if kind == "article_ref":
        return (kind, v["article"])
    if kind == "quiz":
        shape = []
        for q in v["questions"]:
            if q["kind"] in ("single", "multiple"):
                detail = tuple(c["correct"] for c in q["choices"])
            elif q["kind"] == "true_false":
                detail = q["answer"]
            elif q["kind"] == "matching":
                detail = len(q["pairs"])
            else:
                detail = len(q["items"])
            shape.append((q["kind"], detail))
        return (kind, v["pass_mark"], v["shuffle"], tuple(shape))
    if kind == "identifier_exercise":
        return (kind, tuple((i["identifier"], i["valid"]) for i in v["items"]))
    if kind == "document_check":
        return (kind, v["regime"], tuple(v["present"]))
    return (kind,)


def test_chinese_body_mirrors_english_block_by_block(data):
    for lesson in lessons(data):
        en, zh = lesson["en"]["body"], lesson["zh-hans"]["body"]
        assert [invariant(b) for b in en] == [invariant(b) for b in zh], lesson["slug"]


def block_texts(block):
    """The reader-facing wording of a block (quiz choices and exercise items aside)."""
    v = block["value"]
    kind = block["type"]
    if kind == "paragraph":
        return [v]
    if kind == "heading":
        return [v["text"]]
    if kind == "callout":
        return [v["title"], v["text"]]
    if kind == "article_ref":
        return [v["summary"]]
    if kind == "glossary":
        return [v["term"], v["definition"]]
    if kind == "quiz":
        return [v["title"]] + [q[f] for q in v["questions"] for f in ("prompt", "explanation")]
    if kind == "identifier_exercise":
        return [v["title"], v["instructions"]]
    return [v["title"], v["scenario"], v["document"]]


def test_chinese_is_chinese(data):
    for lesson in lessons(data):
        for block in lesson["zh-hans"]["body"]:
            assert all(CJK.search(t) for t in block_texts(block)), (lesson["slug"], block)


# --- prose blocks -----------------------------------------------------------------------------


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if not (tag == "a" and name == "href" and (value or "").startswith("https://")):
                self.problems.append(f"<{tag} {name}={value!r}>")


def html_problems(html):
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_paragraph_and_callout_html_uses_only_allowed_tags(data):
    for lang in LANGS:
        for block in blocks(data, lang):
            if block["type"] == "paragraph":
                html = block["value"]
            elif block["type"] == "callout":
                html = block["value"]["text"]
            else:
                continue
            assert html.strip().startswith("<"), html[:60]
            assert html_problems(html) == [], html[:80]


def test_plain_text_fields_carry_no_markup(data):
    for lang in LANGS:
        for block in blocks(data, lang):
            if block["type"] in ("paragraph", "callout", "quiz"):
                continue
            for text in block_texts(block):
                assert not re.search(r"<[a-z/]", text), text[:80]


def test_headings_and_callouts_are_well_formed(data):
    for lang in LANGS:
        for block in blocks(data, lang, "heading"):
            assert block["value"]["level"] in (2, 3) and block["value"]["text"].strip()
        for block in blocks(data, lang, "callout"):
            assert block["value"]["kind"] in CALLOUT_KINDS and block["value"]["title"].strip()
        for block in blocks(data, lang, "article_ref"):
            assert re.fullmatch(
                r"\d{1,2}(\.\d)?(\([a-z]\))?|Annex (I|II|III)", block["value"]["article"]
            ), block["value"]["article"]
            assert block["value"]["summary"].strip()


# --- quizzes ----------------------------------------------------------------------------------


def test_quiz_questions_are_well_formed(data):
    for lang in LANGS:
        for quiz in blocks(data, lang, "quiz"):
            v = quiz["value"]
            assert v["title"] and 0 < v["pass_mark"] <= 100 and isinstance(v["shuffle"], bool)
            assert v["questions"]
            for q in v["questions"]:
                assert q["kind"] in QUESTION_KINDS
                assert q["prompt"].strip() and q["explanation"].strip(), q["prompt"]
                if q["kind"] in ("single", "multiple"):
                    texts = [c["text"] for c in q["choices"]]
                    assert len(texts) == len(set(texts)) >= 3, q["prompt"]
                    correct = sum(c["correct"] is True for c in q["choices"])
                    assert all(isinstance(c["correct"], bool) for c in q["choices"])
                    if q["kind"] == "single":
                        assert correct == 1, q["prompt"]
                    else:
                        assert 2 <= correct < len(texts), q["prompt"]
                elif q["kind"] == "true_false":
                    assert isinstance(q["answer"], bool)
                elif q["kind"] == "matching":
                    assert len(q["pairs"]) >= 3, q["prompt"]
                    lefts = [p["left"] for p in q["pairs"]]
                    rights = [p["right"] for p in q["pairs"]]
                    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
                else:
                    assert len(q["items"]) >= 3 and len(set(q["items"])) == len(q["items"])


def test_true_false_answers_are_not_all_the_same(data):
    answers = {q["answer"] for q in questions(data) if q["kind"] == "true_false"}
    assert answers == {True, False}


def test_most_explanations_cite_an_article(data):
    cites = re.compile(r"Article|Annex|BS-III/10|Art\.")
    qs = questions(data)
    citing = [q for q in qs if cites.search(q["explanation"])]
    assert len(citing) >= 0.9 * len(qs)


# --- identifier exercises ---------------------------------------------------------------------


def test_identifier_exercises_have_three_to_five_items(data):
    for block in blocks(data, kind="identifier_exercise"):
        v = block["value"]
        assert v["title"] and v["instructions"]
        assert 3 <= len(v["items"]) <= 5
        assert {i["valid"] for i in v["items"]} == {True, False}, v["title"]


def test_every_valid_flag_agrees_with_the_check_digit_rule_and_the_registered_exceptions(data):
    for lang in LANGS:
        for block in blocks(data, lang, "identifier_exercise"):
            for item in block["value"]["items"]:
                assert accepted(item["identifier"]) is item["valid"], item


def test_identifier_exercises_cover_the_typical_mistakes(data):
    items = [
        i["identifier"]
        for b in blocks(data, kind="identifier_exercise")
        for i in b["value"]["items"]
    ]
    singles = [i for i in items if not re.search(r"[×x]", i)]
    assert "SYN-ØØØJG-2" in items
    assert any("×" in i or " x " in i for i in items), "a stacked event"
    assert any(
        UID.fullmatch(i) and "O" in i.split("-")[1] and not passes_rule(i) for i in singles
    ), "a letter O typed for Ø"
    assert any(UID.fullmatch(i) and "O" in i.split("-")[1] and passes_rule(i) for i in singles), (
        "a real letter O (rice)"
    )
    assert any(UID.fullmatch(i) is None for i in singles), "wrong parts"

    def eight(i):
        parts = i.split("-")
        return len(parts) == 3 and len(parts[0]) + len(parts[1]) == 8

    assert any(len(i.split("-")) == 3 and not eight(i) for i in singles), "wrong length"
    assert any(UID.fullmatch(i) and eight(i) and not passes_rule(i) for i in singles), "digit"


def test_registered_exception_is_explained(data):
    for lang in LANGS:
        for block in blocks(data, lang, "identifier_exercise"):
            v = block["value"]
            if any(i["identifier"] == "SYN-ØØØJG-2" for i in v["items"]):
                assert "SYN-ØØØJG-2" in v["instructions"]


# --- document checks --------------------------------------------------------------------------


def test_document_checks_list_known_elements_some_present_some_missing(data):
    for lang in LANGS:
        for block in blocks(data, lang, "document_check"):
            v = block["value"]
            codes = ELEMENTS[v["regime"]]
            present = set(v["present"])
            assert present <= codes, present - codes
            assert len(present) == len(v["present"])
            assert present and present != codes, v["regime"]
            assert v["scenario"].strip() and "\n" in v["document"]


def test_heading_levels_never_skip(data):
    """Lesson titles are h1 on the page, so a lesson's first heading is h2 (WCAG heading order)."""
    for lesson in lessons(data):
        for lang in LANGS:
            levels = [b["value"]["level"] for b in lesson[lang]["body"] if b["type"] == "heading"]
            previous = 1
            for level in levels:
                assert level <= previous + 1, (lesson["slug"], levels)
                previous = level


def test_quizzes_forgive_one_slip_but_not_guessing(data):
    """At least three questions per quiz, and a pass mark that one wrong answer does not miss
    (on three questions) while half right never passes."""
    for quiz in blocks(data, kind="quiz"):
        v = quiz["value"]
        n = len(v["questions"])
        assert n >= 3, v["title"]
        assert 50 < v["pass_mark"] <= 100 * (n - 1) / n, (v["title"], v["pass_mark"], n)
