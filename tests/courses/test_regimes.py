"""The three documentation regimes of Art. 18.2, with what the Parties added by decision."""

from courses.regimes import CONTAINED_USE, FFP, INTRODUCTION, REGIMES


def test_ffp_names_and_event_codes_go_back_to_bs_i_6_and_the_identifier_to_bs_iii_10():
    assert "BS-I/6" in str(FFP.element("names").article)
    assert "BS-I/6" in str(FFP.element("event_or_identifier").article)
    assert "BS-III/10" in str(FFP.element("event_or_identifier").article)
    assert "BS-III/10" in str(FFP.element("may_contain").article)


def test_contained_use_and_introduction_carry_what_bs_i_6_and_bs_iv_8_added():
    for regime in (CONTAINED_USE, INTRODUCTION):
        for code in ("names", "event_or_identifier"):
            element = regime.element(code)
            assert element is not None, (regime.code, code)
            assert "BS-IV/8" in str(element.article) and "BS-I/6" in str(element.article)


def test_no_special_requirements_is_an_acceptable_handling_statement():
    for regime in (CONTAINED_USE, INTRODUCTION):
        handling = regime.element("handling_requirements")
        assert "no special requirements" in str(handling.label)
        assert "BS-IV/8" in str(handling.article)


def test_every_regime_cites_its_paragraph_and_a_decision_of_the_parties():
    for regime in REGIMES.values():
        articles = " ".join(str(e.article) for e in regime.elements)
        assert f"18.2({regime.article[-2]})" in articles
        assert "BS-" in articles
