"""The demo content cites the Protocol right (issue 13: errors 4, 5, 8 and 9).

Pure JSON, like the course fixture test: the fixtures are read without loading the demo.
"""

import json
import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def texts(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def test_the_aarhus_convention_is_one_of_the_nine_partners_and_invented_ones_say_so():
    """The seed note: nine partner organisations, among them the Aarhus Convention."""
    forum = load("forums.json")["forum"]
    partners = [p for p in forum["partner_organisations"].splitlines() if p.strip()]
    assert len(partners) == 9
    aarhus = [p for p in partners if "Aarhus" in p]
    assert len(aarhus) == 1
    assert all(p.endswith("(fictional)") for p in partners if p not in aarhus)
    assert "fictional" in forum["description"]
    for group in load("forums.json")["groups"]:
        for lead in group["lead_partners"].split(";"):
            assert "Aarhus" in lead or lead.strip().endswith("(fictional)"), lead


def test_the_forum_credits_access_to_the_bch_to_article_23_3_and_says_endeavour():
    data = load("forums.json")
    about_bch_access = re.compile(
        r"inform (?:the|their|its) public|(?:access to|reach) the Biosafety Clearing-House"
    )
    cited = 0
    for text in texts(data):
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            if about_bch_access.search(sentence):
                assert "23.1(b)" not in sentence, sentence
                cited += "23.3" in sentence
        assert "asks Parties to ensure" not in text
    assert cited >= 3


def test_the_art_11_consultation_cites_11_4_for_review_and_article_15_for_the_assessment():
    art11 = next(
        c for c in load("consultations.json")["consultations"] if c["decision_type"] == "art11"
    )
    for lang in ("en", "zh-hans"):
        page = " ".join(texts(art11[lang]))
        assert "Art. 12" not in page and "第12条" not in page  # Art. 12 belongs to the AIA
    english = " ".join(texts(art11["en"]))
    assert "Art. 11.4" in english and "Art. 20.3(d)" in english
    assert "Annex II and Annex III" not in english
    assert "Article 15 and Annex III" in english


def test_chinese_names_the_meeting_of_the_parties_to_the_protocol():
    for name in ("courses/lmo-identification.json", "consultations.json", "forums.json"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        assert not re.search(r"(?<!议定书)缔约方第六次会议", text), name
