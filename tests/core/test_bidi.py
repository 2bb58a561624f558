"""Arabic pages keep identifiers, sums and timestamps whole and in order; text in another
language is marked with its language and dir="auto"; the header is translated (issue 12, item 3)."""

import pytest
from django.utils import translation

from core.bidi import fallback_attrs, isolate_ltr_runs, ltr
from tests.accounts.factories import make_user


def test_identifiers_sums_and_timestamps_in_a_sentence_are_isolated():
    text = "مثال: MON-ØØ81Ø-6 يعطي M 13 + O 15 = 28، و 5 + 1 = 6، حتى 2026-12-30 13:30 UTC"
    html = str(isolate_ltr_runs(text))
    assert '<bdi dir="ltr" class="nowrap">MON-ØØ81Ø-6</bdi>' in html
    assert '<bdi dir="ltr">M 13 + O 15 = 28</bdi>' in html
    assert '<bdi dir="ltr">5 + 1 = 6</bdi>' in html
    assert '<bdi dir="ltr" class="nowrap">2026-12-30 13:30 UTC</bdi>' in html


def test_stacked_events_stay_one_run_and_text_is_escaped():
    html = str(isolate_ltr_runs("<b> MON-89Ø34-3 × MON-ØØ6Ø3-6 & more"))
    assert html == (
        '&lt;b&gt; <bdi dir="ltr" class="nowrap">MON-89Ø34-3 × MON-ØØ6Ø3-6</bdi> &amp; more'
    )


def test_plain_words_and_numbers_are_left_alone():
    assert str(isolate_ltr_runs("Section 2 has 3 comments.")) == "Section 2 has 3 comments."
    assert str(ltr("<x>")) == '<bdi dir="ltr">&lt;x&gt;</bdi>'


def test_content_in_another_language_is_marked():
    with translation.override("ar"):
        assert str(fallback_attrs("en")) == ' lang="en" dir="auto"'
        assert str(fallback_attrs("ar")) == ""
    with translation.override("zh-hans"):
        assert str(fallback_attrs("zh-hans")) == ""


@pytest.mark.django_db
def test_arabic_header_is_translated_and_has_my_learning(client, site_shell):
    from tests.forums.factories import make_forum

    make_forum()
    client.force_login(make_user())
    html = client.get("/ar/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert "تعلّمي" in header and "المنتديات" in header  # My learning, Forums
    for english in ("My learning", "Profile", "Sign out", ">Forums<", ">Consultations<"):
        assert english not in header
